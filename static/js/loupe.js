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

// Step away: B anywhere (focus not on a field, button or link) asks first;
// a second B or Enter within a few seconds submits the always-visible
// step-away form, which hands back the current item and starts a break.
// Esc, any other key or the time running out cancels.
(() => {
  const form = document.querySelector('[data-testid="step-away-form"]');
  if (!form) return;
  const ask = document.createElement("span");
  ask.className = "confirm";
  ask.setAttribute("role", "status");
  ask.dataset.testid = "step-away-confirm";
  ask.textContent = "Step away? Press B again or Enter; Esc stays.";
  ask.hidden = true;
  form.after(ask);
  let timer = 0;
  const cancel = () => {
    clearTimeout(timer);
    ask.hidden = true;
  };
  // Capture phase: while asking, Enter belongs to this question, not to
  // the page's own shortcuts.
  window.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const key = event.key.toLowerCase();
    if (!ask.hidden) {
      if (key === "b" || key === "enter") {
        event.preventDefault();
        event.stopPropagation();
        cancel();
        form.requestSubmit();
      } else {
        cancel();
      }
      return;
    }
    if (key !== "b" || event.target.closest("input, textarea, select, button, a[href], summary, [contenteditable]")) return;
    event.preventDefault();
    event.stopPropagation();
    ask.hidden = false;
    timer = setTimeout(cancel, 4000);
  }, true);
})();

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

// Undo bar: counts down the seconds left to undo the previous decision,
// then hides itself (the server refuses undo after the window anyway).
(() => {
  const undo = document.querySelector('[data-testid="undo"]');
  if (!undo) return;
  let left = Number(undo.dataset.undoSeconds);
  const shown = undo.querySelector(".undo-left");
  const ticker = setInterval(() => {
    left -= 1;
    shown.textContent = `${Math.max(left, 0)} s`;
    if (left <= 0) {
      clearInterval(ticker);
      undo.hidden = true;
    }
  }, 1000);
})();
