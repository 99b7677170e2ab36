// Progressive enhancement only: every page works without this file.
(function () {
  'use strict';
  // Move focus to the error summary so keyboard and screen-reader users hear what to fix first.
  var summary = document.querySelector('[data-error-summary]');
  if (summary) {
    summary.focus();
  }
  // Buttons that ask for confirmation before something cannot be undone (cancel a session or the process).
  document.addEventListener('submit', function (event) {
    var form = event.target;
    var question = form && form.getAttribute && form.getAttribute('data-confirm');
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
})();
