// The curator's edit form (/beheer): repeatable groups (actors, key figures, enumerations …).
// Add an item (a copy of the group's <template>, its placeholder token replaced by a fresh one),
// remove one, move one up or down. The server reads the items in the order of their hidden
// "_item:<path>" markers, so the order on the page is the order in the record. No network.
(function () {
  "use strict";
  var counter = 0;

  function fresh() {
    counter += 1;
    return "n" + Date.now().toString(36) + counter;
  }

  function renumber(items) {
    var n = 0;
    Array.prototype.forEach.call(items.children, function (item) {
      n += 1;
      var number = item.querySelector(":scope > legend .item-number");
      if (number) { number.textContent = String(n); }
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button || !button.closest("form.curation-form")) { return; }
    if (button.classList.contains("item-add")) {
      var group = button.closest(".group");
      var template = group.querySelector(":scope > template");
      var depth = group.getAttribute("data-depth");
      var html = template.innerHTML.split("__T" + depth + "__").join(fresh());
      var items = group.querySelector(":scope > .items");
      items.insertAdjacentHTML("beforeend", html);
      renumber(items);
      var first = items.lastElementChild.querySelector("input:not([type=hidden]), select, textarea");
      if (first) { first.focus(); }
      return;
    }
    var item = button.closest(".item");
    if (!item) { return; }
    var list = item.parentElement;
    if (button.classList.contains("item-remove")) {
      item.remove();
    } else if (button.classList.contains("item-up") && item.previousElementSibling) {
      list.insertBefore(item, item.previousElementSibling);
    } else if (button.classList.contains("item-down") && item.nextElementSibling) {
      list.insertBefore(item.nextElementSibling, item);
    } else {
      return;
    }
    renumber(list);
  });
})();
