// Skip logic in the browser: a question whose condition is not met is hidden as soon as the answer it
// depends on changes. The server applies the same rule (answers.py), so without this script every
// question is shown with its "isi bila …" hint and nothing is lost.
(function () {
  "use strict";
  var form = document.querySelector("form.tracer");
  if (!form) return;
  var dependants = form.querySelectorAll("[data-show-if]");
  function chosen(code) {
    var values = [];
    form.querySelectorAll('[name="' + code + '"]').forEach(function (input) {
      if ((input.type === "radio" || input.type === "checkbox") ? input.checked : input.value) values.push(input.value);
    });
    return values;
  }
  function update() {
    dependants.forEach(function (block) {
      var wanted = block.getAttribute("data-show-values").split("|");
      var given = chosen(block.getAttribute("data-show-if"));
      var shown = given.some(function (v) { return wanted.indexOf(v) !== -1; });
      var parent = form.querySelector('[data-question="' + block.getAttribute("data-show-if") + '"]');
      if (parent && parent.hidden) shown = false;
      block.hidden = !shown;
    });
  }
  form.addEventListener("change", update);
  update();
  // After a refused submit, start at the list of answers to correct (each links to its question).
  var errors = document.getElementById("errors");
  if (errors) errors.focus();
})();
