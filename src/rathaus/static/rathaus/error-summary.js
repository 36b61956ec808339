// A link in the error summary puts the cursor into the field to correct and shows the
// field's question with it (as GOV.UK's error summary does). Without JavaScript the
// link still scrolls to the input; the summary takes the focus by `autofocus`.
(function () {
  "use strict";
  document.querySelectorAll("[data-error-summary] a[href^='#']").forEach(function (link) {
    link.addEventListener("click", function (event) {
      const input = document.getElementById(link.getAttribute("href").slice(1));
      if (!input) return;
      const group = input.closest("fieldset");
      const label = group ? group.querySelector("legend")
        : document.querySelector("label[for='" + input.id + "']");
      event.preventDefault();
      (label || input).scrollIntoView();
      input.focus({preventScroll: true});
    });
  });
})();
