// Filter forms folded away on a phone: each <details data-fold> is rendered open (so the filters
// show without JavaScript and on a wide screen); on a narrow screen this closes it, and its summary
// ("Filters (2 active)") is all that stands above the results. Loaded right after each form, so it
// runs before the results below are drawn.
(function () {
  "use strict";
  if (!window.matchMedia || !window.matchMedia("(max-width: 760px)").matches) return;
  var folds = document.querySelectorAll("details[data-fold]:not([data-folded])");
  for (var i = 0; i < folds.length; i++) {
    folds[i].setAttribute("data-folded", "");
    folds[i].open = false;
  }
})();
