// Hides questions that do not apply, from the answers given on the same page.
// Without JavaScript every question stays visible and the server decides.
(function () {
  "use strict";
  function valueOf(form, name) {
    const known = JSON.parse(form.dataset.known || "{}");
    if (name in known) return known[name];
    const checked = form.querySelector('[name="' + name + '"]:checked');
    if (checked) return checked.value;
    const field = form.querySelector('[name="' + name + '"]:not([type=radio]):not([type=checkbox])');
    return field ? field.value : undefined;
  }
  function holds(condition, form) {
    if (condition.any) return condition.any.some(function (c) { return holds(c, form); });
    if (condition.all) return condition.all.every(function (c) { return holds(c, form); });
    const value = valueOf(form, condition.field);
    if (value === undefined) return true; // decided on an earlier page
    if ("equals" in condition) return value === condition.equals;
    return condition.in.indexOf(value) !== -1;
  }
  function update(form) {
    form.querySelectorAll("[data-show-if]").forEach(function (row) {
      row.hidden = !holds(JSON.parse(row.dataset.showIf), form);
      const note = row.querySelector(".conditional-note");
      if (note) note.hidden = true;
    });
  }
  document.querySelectorAll("[data-conditional-form]").forEach(function (form) {
    form.addEventListener("change", function () { update(form); });
    update(form);
  });
})();
