// Stops a check from being stored twice when the button is pressed again on a slow connection.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.hasAttribute("data-once")) return;
  if (form.dataset.sent) { event.preventDefault(); return; }
  form.dataset.sent = "1";
  var button = form.querySelector("button[type=submit]");
  if (button) { button.disabled = true; button.textContent = "Menyimpan…"; }
});
