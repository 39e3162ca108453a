// The curator's edit form (/beheer): repeatable groups (actors, key figures, enumerations …).
// Add an item (a copy of the group's <template>, its placeholder token replaced by a fresh one),
// remove one, move one up or down. The server reads the items in the order of their hidden
// "_item:<path>" markers, so the order on the page is the order in the record. No network.
// A code list longer than a screenful gets a search box above it that hides the codes whose
// label does not match (case and accents ignored); a chosen code always stays in sight.
(function () {
  "use strict";
  var counter = 0;
  var LONG_LIST = 8;

  function folded(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function filterable(list) {
    var form = list.closest("form.curation-form");
    if (!form || list.hasAttribute("data-filtered")) { return; }
    var choices = list.tagName === "SELECT" ? list.options : list.querySelectorAll("label.check");
    if (choices.length <= LONG_LIST) { return; }
    list.setAttribute("data-filtered", "");
    var box = document.createElement("input");
    box.type = "search";
    box.className = "code-filter";
    box.setAttribute("aria-label", form.getAttribute("data-filter-label") || "");
    box.setAttribute("aria-controls", list.id);
    box.placeholder = form.getAttribute("data-filter-label") || "";
    box.addEventListener("input", function () {
      var wanted = folded(box.value.trim());
      Array.prototype.forEach.call(choices, function (choice) {
        var chosen = list.tagName === "SELECT" ? (choice.selected || choice.value === "")
                                               : choice.querySelector("input").checked;
        choice.hidden = !(chosen || wanted === "" || folded(choice.textContent).indexOf(wanted) !== -1);
      });
    });
    list.parentNode.insertBefore(box, list);
  }

  function enhance(root) {
    Array.prototype.forEach.call(root.querySelectorAll("form.curation-form .checks, form.curation-form select"), filterable);
  }

  enhance(document);

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
      enhance(items.lastElementChild);
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
