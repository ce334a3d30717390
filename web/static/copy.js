// The copy button of a paste-ready text: shown only when the browser can copy (the text box works without it).
document.querySelectorAll("[data-copy]").forEach(function (button) {
  var box = document.getElementById(button.getAttribute("data-copy"));
  if (!box || !navigator.clipboard) { return; }
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(box.value).then(function () {
      button.textContent = button.getAttribute("data-copied");
    }, function () {
      box.select();
    });
  });
});
