// Small behaviours every page may use, without inline handlers (the Content-Security-Policy blocks them).
// <button type="button" data-print>打印</button> prints the page.
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
