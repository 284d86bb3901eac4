// The review screen: reveals on explicit request only, re-blur on a timer,
// on Esc and when the page is hidden, and decisions with the keyboard.
// Revealed bytes live only in an object URL that is revoked on re-blur.
//
// One keyboard model: shortcuts act only when focus is not on a control
// (text field, button, link, select, toggle), which keep their own Enter
// and Space. Enter submits only from the page itself or an image frame;
// Ctrl+Enter (Cmd+Enter) submits from the Note field.
"use strict";

(() => {
  const root = document.querySelector("[data-review]");
  if (!root) return;
  const itemID = root.dataset.item;
  const csrf = root.dataset.csrf;
  const decideForm = () => document.querySelector('[data-testid="decide-form"]');
  const figures = [...document.querySelectorAll("figure.media")];
  const active = new Map(); // figure -> {exposure, url, timer, ticker}
  const overlay = document.querySelector('[data-testid="shortcuts"]');

  // A copy in the cluster strip is its own item: its reveals go to it.
  const itemOf = (figure) => figure.dataset.item || itemID;

  const post = (path, fields) => {
    const body = new URLSearchParams(fields);
    return fetch(path, { method: "POST", headers: { "X-CSRF-Token": csrf }, body, credentials: "same-origin" });
  };

  // Keep the lease while the page is open.
  setInterval(() => {
    post(`/review/${itemID}/lease`, {}).then((res) => {
      // 404: no longer held; the reloaded page says so.
      if (res.status === 404) window.location.reload();
    });
  }, 60000);

  // Problems: one at the top of the panel (reveals), or by a field (a
  // refused submit). Any later action clears them.
  function showProblem(text) {
    let p = document.querySelector('[data-testid="error"]');
    if (!p) {
      p = document.createElement("p");
      p.className = "error";
      p.dataset.testid = "error";
      p.setAttribute("role", "alert");
      decideForm().before(p);
    }
    p.textContent = text;
  }

  function clearProblems() {
    document.querySelectorAll('[data-testid="error"], .field-error').forEach((p) => p.remove());
    document.querySelectorAll('[aria-invalid="true"]').forEach((f) => f.setAttribute("aria-invalid", "false"));
  }

  // The selected image is the one R, C, S and E act on; only it shows the
  // key hints. Number keys, J / K and focus (Tab, a click) select.
  let selected = figures[0];
  function select(figure) {
    if (!figure || figure === selected) return;
    cancelSpotlight();
    for (const f of figures) {
      f.classList.toggle("selected", f === figure);
      f.setAttribute("aria-current", String(f === figure));
    }
    selected = figure;
    figure.scrollIntoView({ block: "nearest" });
  }
  document.addEventListener("focusin", (e) => select(e.target.closest && e.target.closest("figure.media")));

  // shown is where the image is drawn in its stage (object-fit: contain):
  // offset in px and px per image pixel.
  function shown(figure) {
    const img = figure.querySelector("img.preview");
    const W = Number(figure.dataset.width);
    const H = Number(figure.dataset.height);
    const k = Math.min(img.clientWidth / W, img.clientHeight / H);
    return { x: img.offsetLeft + (img.clientWidth - W * k) / 2, y: img.offsetTop + (img.clientHeight - H * k) / 2, k, W, H };
  }

  // place draws el over the image region [x, y, w, h] (image pixels).
  function place(el, figure, region) {
    const s = shown(figure);
    el.style.left = `${s.x + region[0] * s.k}px`;
    el.style.top = `${s.y + region[1] * s.k}px`;
    el.style.width = `${region[2] * s.k}px`;
    el.style.height = `${region[3] * s.k}px`;
  }

  function reblur(figure, reason) {
    const state = active.get(figure);
    if (!state) return;
    active.delete(figure);
    clearTimeout(state.timer);
    clearInterval(state.ticker);
    const img = figure.querySelector("img.preview");
    img.src = img.dataset.previewSrc || img.src;
    figure.classList.remove("revealed");
    figure.querySelectorAll(".spotlight-crop").forEach((c) => c.remove());
    const exif = figure.querySelector(".exif");
    exif.hidden = true;
    exif.replaceChildren();
    if (state.url) URL.revokeObjectURL(state.url);
    figure.querySelector(".countdown").hidden = true;
    if (reason === "hidden" && navigator.sendBeacon) {
      // URLSearchParams, not FormData: the server refuses multipart bodies
      // on routes that take no files.
      const data = new URLSearchParams({ csrf, exposure: state.exposure, reason: "hidden" });
      navigator.sendBeacon(`/review/${itemOf(figure)}/reblur`, data);
    } else {
      post(`/review/${itemOf(figure)}/reblur`, { exposure: state.exposure, reason });
    }
  }

  const reblurAll = (reason) => active.forEach((_, figure) => reblur(figure, reason));

  async function reveal(figure, step, region) {
    clearProblems();
    reblur(figure, "reblur");
    const fields = { media: figure.dataset.media, step };
    if (region) fields.region = region.join(",");
    const res = await post(`/review/${itemOf(figure)}/reveal`, fields);
    if (res.redirected) {
      // Refused for a break: the server sent the break page.
      window.location.assign(res.url);
      return;
    }
    if (!res.ok) {
      // The server's error page says why (a spotlight too large, a step the queue does not allow).
      const page = new DOMParser().parseFromString(await res.text(), "text/html");
      const why = page.querySelector('[data-testid="error-message"]');
      showProblem(res.status === 404 || res.status === 409 ? "You no longer hold this item." : (why && why.textContent) || "That reveal is not allowed here.");
      return;
    }
    const grant = await res.json();
    const content = await fetch(grant.url, { credentials: "same-origin", cache: "no-store" });
    if (!content.ok) return;
    const state = { exposure: grant.exposure, url: null };
    if (step === "exif") {
      const data = await content.json();
      const list = figure.querySelector(".exif");
      for (const f of data.fields || []) {
        const dt = document.createElement("dt");
        dt.textContent = f.Name;
        const dd = document.createElement("dd");
        dd.textContent = f.Value;
        list.append(dt, dd);
      }
      if (!(data.fields || []).length) list.textContent = "No EXIF data.";
      list.hidden = false;
    } else if (step === "spotlight") {
      // The crop is drawn where it sits, over the still blurred preview.
      state.url = URL.createObjectURL(await content.blob());
      const crop = document.createElement("img");
      crop.className = "spotlight-crop";
      crop.alt = "Revealed region";
      crop.src = state.url;
      place(crop, figure, region);
      figure.querySelector(".stage").append(crop);
      figure.classList.add("revealed");
    } else {
      state.url = URL.createObjectURL(await content.blob());
      const img = figure.querySelector("img.preview");
      img.dataset.previewSrc = img.dataset.previewSrc || img.src;
      img.src = state.url;
      figure.classList.add("revealed");
    }
    active.set(figure, state);
    let left = grant.reblur_seconds;
    const countdown = figure.querySelector(".countdown");
    countdown.hidden = false;
    countdown.textContent = `Blurs again in ${left} s`;
    state.ticker = setInterval(() => {
      left -= 1;
      countdown.textContent = `Blurs again in ${Math.max(left, 0)} s`;
    }, 1000);
    state.timer = setTimeout(() => reblur(figure, "reblur"), grant.reblur_seconds * 1000);
  }

  // Spotlight mode: a region at the queue's cap appears on the selected
  // image; arrows move it, Shift+arrows resize it, a mouse drag draws a
  // new one; Enter (or releasing the mouse) reveals it, Esc cancels. The
  // region never grows past the cap (the server refuses a larger one).
  let spot = null; // {figure, button, box, region: [x, y, w, h], share, drag}
  function startSpotlight(figure) {
    const button = figure.querySelector('[data-reveal="spotlight"]');
    if (!button) return;
    cancelSpotlight();
    clearProblems();
    const share = Number(button.dataset.spotlightPercent) / 100;
    const W = Number(figure.dataset.width);
    const H = Number(figure.dataset.height);
    const w = Math.max(1, Math.floor(W * Math.sqrt(share)));
    const h = Math.max(1, Math.floor(H * Math.sqrt(share)));
    const box = document.createElement("div");
    box.className = "spotlight-box";
    figure.querySelector(".stage").append(box);
    figure.querySelector(".stage").classList.add("selecting");
    button.setAttribute("aria-pressed", "true");
    figure.querySelector(".spotlight-help").hidden = false;
    spot = { figure, button, box, share, region: [Math.floor((W - w) / 2), Math.floor((H - h) / 2), w, h] };
    place(box, figure, spot.region);
  }

  function cancelSpotlight() {
    if (!spot) return;
    spot.box.remove();
    spot.figure.querySelector(".stage").classList.remove("selecting");
    spot.button.setAttribute("aria-pressed", "false");
    spot.figure.querySelector(".spotlight-help").hidden = true;
    spot = null;
  }

  function revealSpotlight() {
    const { figure, region } = spot;
    cancelSpotlight();
    if (region[2] > 0 && region[3] > 0) reveal(figure, "spotlight", region);
  }

  // moveSpotlight moves (or with resize, grows) the region by a step.
  function moveSpotlight(dx, dy, resize) {
    const W = Number(spot.figure.dataset.width);
    const H = Number(spot.figure.dataset.height);
    const step = Math.max(1, Math.round(Math.max(W, H) / 20));
    let [x, y, w, h] = spot.region;
    if (resize) {
      const nw = Math.min(W - x, Math.max(1, w + dx * step));
      const nh = Math.min(H - y, Math.max(1, h + dy * step));
      if (nw * nh <= spot.share * W * H) [w, h] = [nw, nh];
    } else {
      x = Math.min(Math.max(0, x + dx * step), W - w);
      y = Math.min(Math.max(0, y + dy * step), H - h);
    }
    spot.region = [x, y, w, h];
    place(spot.box, spot.figure, spot.region);
  }

  // Mouse: drag a rectangle; it shrinks towards the starting corner,
  // keeping its shape, to the cap.
  const imagePoint = (figure, e) => {
    const s = shown(figure);
    const r = figure.querySelector(".stage").getBoundingClientRect();
    return {
      x: Math.min(Math.max((e.clientX - r.left - s.x) / s.k, 0), s.W),
      y: Math.min(Math.max((e.clientY - r.top - s.y) / s.k, 0), s.H),
    };
  };
  document.addEventListener("mousedown", (e) => {
    if (!spot || !e.target.closest || e.target.closest(".stage") !== spot.figure.querySelector(".stage")) return;
    spot.drag = imagePoint(spot.figure, e);
    e.preventDefault();
  });
  window.addEventListener("mousemove", (e) => {
    if (!spot || !spot.drag) return;
    const start = spot.drag;
    const p = imagePoint(spot.figure, e);
    const W = Number(spot.figure.dataset.width);
    const H = Number(spot.figure.dataset.height);
    const w = p.x - start.x;
    const h = p.y - start.y;
    const k = Math.min(1, Math.sqrt((spot.share * W * H) / Math.max(Math.abs(w * h), 1e-9)));
    const ex = start.x + w * k;
    const ey = start.y + h * k;
    // Round the corner in and the size down, so rounding never takes the
    // region past the cap.
    const x = Math.ceil(Math.min(ex, start.x));
    const y = Math.ceil(Math.min(ey, start.y));
    spot.region = [x, y, Math.floor(Math.abs(w * k)), Math.floor(Math.abs(h * k))];
    place(spot.box, spot.figure, spot.region);
  });
  window.addEventListener("mouseup", () => {
    if (spot && spot.drag) revealSpotlight();
  });

  document.addEventListener("click", (e) => {
    const button = e.target.closest("[data-reveal]");
    if (!button) return;
    const figure = button.closest("figure.media");
    select(figure);
    if (button.dataset.reveal !== "spotlight") reveal(figure, button.dataset.reveal);
    else if (spot) cancelSpotlight();
    else startSpotlight(figure);
  });

  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") reblurAll("hidden");
  });

  // Forms are sent with fetch: a success follows the server's redirect; a
  // refused decision puts the server's form (choices kept, each message
  // by its field) in place, focused on the field to fix; the address
  // never becomes a POST URL.
  let sending = false;
  document.addEventListener("submit", async (e) => {
    const form = e.target;
    if (!form.matches('[data-testid="decide-form"], [data-testid="undo"]') || e.defaultPrevented) return;
    e.preventDefault();
    if (sending) return;
    sending = true;
    reblurAll("reblur");
    cancelSpotlight();
    let res;
    try {
      res = await fetch(form.action, { method: "POST", body: new URLSearchParams(new FormData(form)), credentials: "same-origin" });
    } catch {
      sending = false;
      showProblem("Loupe did not answer; nothing was recorded. Try again.");
      return;
    }
    if (res.redirected) {
      window.location.assign(res.url);
      return;
    }
    sending = false;
    const page = new DOMParser().parseFromString(await res.text(), "text/html");
    const fresh = page.querySelector('[data-testid="decide-form"]');
    if (res.status === 400 && fresh && form === decideForm()) {
      clearProblems();
      form.replaceWith(document.importNode(fresh, true));
      const bad = decideForm().querySelector('textarea[aria-invalid="true"], [aria-invalid="true"] input');
      if (bad) bad.focus();
      return;
    }
    const why = page.querySelector('[data-testid="error-message"]');
    showProblem((why && why.textContent) || "That was not recorded.");
  });

  // A change in the decision clears old messages.
  document.addEventListener("input", (e) => {
    if (e.target.closest('[data-testid="decide-form"]')) clearProblems();
  });

  // Undo: offered while the previous decision's window lasts (loupe.js
  // counts it down); U submits it.
  const undo = document.querySelector('[data-testid="undo"]');

  const submit = () => decideForm().requestSubmit();
  const setVerdict = (v) => {
    const radio = decideForm().querySelector(`input[name="verdict"][value="${v}"]`);
    if (radio) radio.checked = true;
    clearProblems();
  };
  const isControl = (el) => !!(el && el.closest && el.closest("input, textarea, select, button, a[href], summary, [contenteditable], [role=button]"));
  const onPage = (el) => !el || el === document.body || el === document.documentElement || el.matches("figure.media");

  document.addEventListener("keydown", (e) => {
    if ((e.ctrlKey || e.metaKey) && e.key === "Enter" && e.target.matches('textarea[name="note"]')) {
      e.preventDefault();
      submit();
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    if (e.key === "Escape") {
      cancelSpotlight();
      reblurAll("reblur");
      overlay.hidden = true;
      if (isControl(e.target)) e.target.blur();
      return;
    }
    if (isControl(e.target)) return;
    if (spot) {
      const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
      if (moves[e.key]) moveSpotlight(...moves[e.key], e.shiftKey);
      else if (e.key === "Enter") revealSpotlight();
      else return;
      e.preventDefault();
      return;
    }
    if (e.key === "Enter") {
      if (onPage(e.target)) {
        e.preventDefault();
        submit();
      }
      return;
    }
    const digit = /^Digit([1-9])$/.exec(e.code);
    if (digit && e.shiftKey) {
      const cat = decideForm().querySelector(`input[name="category"][data-key="${digit[1]}"]`);
      if (cat) {
        cat.checked = true;
        setVerdict("violating");
      }
      e.preventDefault();
      return;
    }
    const key = e.key.toLowerCase();
    const has = (step) => selected && selected.querySelector(`[data-reveal="${step}"]`);
    if (/^[1-9]$/.test(key)) select(figures[Number(key) - 1]);
    else if (key === "j") select(figures[Math.min(figures.indexOf(selected) + 1, figures.length - 1)]);
    else if (key === "k") select(figures[Math.max(figures.indexOf(selected) - 1, 0)]);
    else if (key === "r" && has("grey")) reveal(selected, "grey");
    else if (key === "c" && has("colour")) reveal(selected, "colour");
    else if (key === "s" && has("spotlight")) startSpotlight(selected);
    else if (key === "e" && has("exif")) reveal(selected, "exif");
    else if (key === "t" && selected && selected.querySelector('[data-testid="split-form"]')) {
      reblurAll("reblur");
      selected.querySelector('[data-testid="split-form"]').requestSubmit();
    }
    else if (key === "n") setVerdict("not_violating");
    else if (key === "x" || key === "l") {
      setVerdict(key === "x" ? "escalate" : "skip");
      decideForm().querySelector('textarea[name="note"]').focus();
    } else if (key === "u" && undo && !undo.hidden) undo.requestSubmit();
    else if (key === "q") document.querySelector('[data-testid="release-form"]').requestSubmit();
    else if (key === "?") overlay.hidden = !overlay.hidden;
    else return;
    e.preventDefault();
  });
})();
