// Loupe's page behaviour. No inline scripts: everything reads data-*
// attributes, so the Content-Security-Policy can forbid inline code.
"use strict";

document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = form.dataset.confirm;
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

// Copy buttons: <button data-copy="#selector">.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const source = document.querySelector(button.dataset.copy);
  if (source && navigator.clipboard) {
    navigator.clipboard.writeText(source.textContent.trim()).then(() => {
      button.textContent = "Copied";
    });
  }
});

// Step away: B anywhere (outside text fields) submits the always-visible
// step-away form, which hands back the current item and starts a break.
document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey || event.key.toLowerCase() !== "b") return;
  if (event.target.matches("textarea, input, select")) return;
  const form = document.querySelector('[data-testid="step-away-form"]');
  if (!form) return;
  event.preventDefault();
  form.requestSubmit();
});

// Countdowns: <span data-countdown="seconds"> ticks down and reloads the
// page when it reaches zero (the break page then offers a check-in).
for (const el of document.querySelectorAll("[data-countdown]")) {
  let left = Number(el.dataset.countdown);
  const show = () => {
    const m = Math.floor(left / 60);
    const s = left % 60;
    el.textContent = m > 0 ? `${m} min ${String(s).padStart(2, "0")} s` : `${s} s`;
  };
  const timer = setInterval(() => {
    left -= 1;
    if (left <= 0) {
      clearInterval(timer);
      window.location.reload();
      return;
    }
    show();
  }, 1000);
}

// Select all: <input type="checkbox" data-select-all="items"> ticks every
// checkbox of that name in its form (the rows of one table page).
document.addEventListener("change", (event) => {
  const box = event.target.closest("[data-select-all]");
  if (!box || !box.form) return;
  for (const row of box.form.querySelectorAll(`input[type="checkbox"][name="${box.dataset.selectAll}"]`)) {
    row.checked = box.checked;
  }
});
