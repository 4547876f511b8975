// Small behaviours every page may use, without inline handlers (the Content-Security-Policy blocks them).
//   <button type="button" data-print>打印</button>            prints the page
//   <input readonly data-select-on-click value="...">          selects its text when clicked (a URL to copy)
//   <form method="post" data-confirm="确定吗？">                 asks before submitting
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
  var field = event.target.closest("[data-select-on-click]");
  if (field && field.select) {
    field.select();
  }
});

document.addEventListener("submit", function (event) {
  var form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
});
