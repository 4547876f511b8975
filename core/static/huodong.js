// Small behaviours every page may use, without inline handlers (the Content-Security-Policy blocks them).
//   <button type="button" data-print>打印</button>            prints the page
//   <input readonly data-select-on-click value="...">          selects its text when clicked (a URL to copy)
//   <form method="post" data-confirm="确定吗？">                 asks before submitting
// After a logout it makes the phone forget what pages kept for the user (see forgetDevice below).
// It also opens and closes the phone menu, and makes a table that scrolls sideways reachable by keyboard.
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

// The phone menu: the checkbox and its label open it without JavaScript; here the button takes their place,
// says whether the menu is open (aria-expanded), and Escape closes it and gives the focus back to the button.
(function () {
  var toggle = document.getElementById("nav-toggle");
  var header = toggle && toggle.closest(".topbar");
  var button = header && header.querySelector("button.nav-button");
  if (!button) {
    return;
  }
  var label = header.querySelector("label.nav-button");
  function setOpen(open) {
    header.classList.toggle("nav-open", open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }
  setOpen(toggle.checked);  // a box ticked before this ran (or kept by the back button)
  toggle.remove();
  if (label) {
    label.remove();
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    setOpen(button.getAttribute("aria-expanded") !== "true");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && header.classList.contains("nav-open")) {
      setOpen(false);
      if (getComputedStyle(button).display !== "none") {
        button.focus();
      }
    }
  });
})();

// A table wider than the screen scrolls inside its .table-wrap; while it scrolls it has a Tab stop (so a keyboard
// can scroll it) and a name for screen readers: its caption, or the heading above it.
(function () {
  var boxes = document.querySelectorAll(".table-wrap");
  if (!boxes.length) {
    return;
  }
  function nameOf(box) {
    var caption = box.querySelector("caption");
    if (caption) {
      return caption.textContent.trim();
    }
    for (var el = box; el && el !== document.body; el = el.parentElement) {
      for (var prev = el.previousElementSibling; prev; prev = prev.previousElementSibling) {
        if (/^H[1-6]$/.test(prev.tagName)) {
          return prev.textContent.trim();
        }
      }
    }
    return document.title;
  }
  function mark() {
    Array.prototype.forEach.call(boxes, function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", nameOf(box));
      } else if (box.getAttribute("role") === "region") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }
  mark();
  if (window.ResizeObserver) {  // also when a script fills the table in later (the scoreboard)
    var watcher = new ResizeObserver(mark);
    Array.prototype.forEach.call(boxes, function (box) {
      watcher.observe(box);
      if (box.firstElementChild) {
        watcher.observe(box.firstElementChild);
      }
    });
  } else {
    window.addEventListener("resize", mark);
  }
})();

// After a logout the login page carries data-forget-device: the phone forgets what pages kept for the user who
// left, that is every localStorage key and every cache (Cache Storage) whose name begins with "hd-" (a door
// scanner's code list, the scanner pages kept for offline use). Scans not yet uploaded ("hd-...-queue") stay:
// they are attendance that happened, uploaded when a scanner of that event opens again.
(function forgetDevice() {
  if (!document.querySelector("[data-forget-device]")) {
    return;
  }
  try {
    var doomed = [];
    for (var i = 0; i < localStorage.length; i++) {
      var key = localStorage.key(i);
      if (key.indexOf("hd-") === 0 && !/-queue$/.test(key)) {
        doomed.push(key);
      }
    }
    doomed.forEach(function (key) { localStorage.removeItem(key); });
  } catch (e) { /* storage unavailable */ }
  if (window.caches) {
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (n) { return n.indexOf("hd-") === 0; })
        .map(function (n) { return caches.delete(n); }));
    }).catch(function () { /* Cache Storage unavailable (an insecure origin) */ });
  }
})();
