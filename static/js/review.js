// The review screen: reveals on explicit request only, re-blur on a timer,
// on Esc and when the page is hidden, and decisions with the keyboard.
// Revealed bytes live only in an object URL that is revoked on re-blur.
"use strict";

(() => {
  const root = document.querySelector("[data-review]");
  if (!root) return;
  const itemID = root.dataset.item;
  const csrf = root.dataset.csrf;
  const form = document.querySelector('[data-testid="decide-form"]');
  const active = new Map(); // figure -> {exposure, url, timer, ticker}

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

  function reblur(figure, reason) {
    const state = active.get(figure);
    if (!state) return;
    active.delete(figure);
    clearTimeout(state.timer);
    clearInterval(state.ticker);
    const img = figure.querySelector("img.preview");
    img.src = img.dataset.previewSrc || img.src;
    figure.classList.remove("revealed");
    const exif = figure.querySelector(".exif");
    exif.hidden = true;
    exif.replaceChildren();
    if (state.url) URL.revokeObjectURL(state.url);
    const countdown = figure.querySelector(".countdown");
    countdown.hidden = true;
    if (reason === "hidden" && navigator.sendBeacon) {
      // URLSearchParams, not FormData: the server refuses multipart bodies
      // on routes that take no files.
      const data = new URLSearchParams({ csrf, exposure: state.exposure, reason: "hidden" });
      navigator.sendBeacon(`/review/${itemID}/reblur`, data);
    } else {
      post(`/review/${itemID}/reblur`, { exposure: state.exposure, reason });
    }
  }

  const reblurAll = (reason) => active.forEach((_, figure) => reblur(figure, reason));

  async function reveal(figure, step, region) {
    reblur(figure, "reblur");
    const fields = { media: figure.dataset.media, step };
    if (region) fields.region = region;
    const res = await post(`/review/${itemID}/reveal`, fields);
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

  function showProblem(text) {
    let p = document.querySelector('[data-testid="error"]');
    if (!p) {
      p = document.createElement("p");
      p.className = "error";
      p.dataset.testid = "error";
      p.setAttribute("role", "alert");
      document.querySelector(".facts").prepend(p);
    }
    p.textContent = text;
  }

  // Spotlight: drag a rectangle on the blurred preview; only that region
  // is fetched. The rectangle stops growing at the queue's share of the
  // image (the server refuses a larger one).
  function spotlight(figure, share) {
    const img = figure.querySelector("img.preview");
    const stage = figure.querySelector(".stage");
    const box = document.createElement("div");
    box.className = "spotlight-box";
    stage.classList.add("selecting");
    let start = null;
    const point = (e) => {
      const r = img.getBoundingClientRect();
      const p = { x: Math.min(Math.max(e.clientX - r.left, 0), r.width), y: Math.min(Math.max(e.clientY - r.top, 0), r.height), r };
      if (!start) return p;
      // Shrink towards the starting corner, keeping the shape, to the cap.
      const w = p.x - start.x;
      const h = p.y - start.y;
      const k = Math.min(1, Math.sqrt((share * r.width * r.height) / Math.max(Math.abs(w * h), 1e-9)));
      return { x: start.x + w * k, y: start.y + h * k, r };
    };
    const down = (e) => {
      start = point(e);
      stage.append(box);
      e.preventDefault();
    };
    const move = (e) => {
      if (!start) return;
      const p = point(e);
      box.hidden = false;
      box.setAttribute("data-x", Math.min(p.x, start.x));
      box.style.setProperty("--x", `${Math.min(p.x, start.x)}px`);
      box.style.setProperty("--y", `${Math.min(p.y, start.y)}px`);
      box.style.setProperty("--w", `${Math.abs(p.x - start.x)}px`);
      box.style.setProperty("--h", `${Math.abs(p.y - start.y)}px`);
    };
    const up = (e) => {
      if (!start) return;
      const p = point(e);
      const sx = figure.dataset.width / p.r.width;
      const sy = figure.dataset.height / p.r.height;
      // Round the corner in and the size down, so rounding never takes
      // the region past the cap.
      const x = Math.ceil(Math.min(p.x, start.x) * sx);
      const y = Math.ceil(Math.min(p.y, start.y) * sy);
      const region = [x, y, Math.floor(Math.abs(p.x - start.x) * sx), Math.floor(Math.abs(p.y - start.y) * sy)];
      start = null;
      box.remove();
      stage.classList.remove("selecting");
      img.removeEventListener("mousedown", down);
      window.removeEventListener("mousemove", move);
      window.removeEventListener("mouseup", up);
      reveal(figure, "spotlight", region.join(","));
    };
    img.addEventListener("mousedown", down);
    window.addEventListener("mousemove", move);
    window.addEventListener("mouseup", up);
  }

  document.addEventListener("click", (e) => {
    const button = e.target.closest("[data-reveal]");
    if (!button) return;
    const figure = button.closest("figure.media");
    if (button.dataset.reveal === "spotlight") spotlight(figure, Number(button.dataset.spotlightPercent) / 100);
    else reveal(figure, button.dataset.reveal);
  });

  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") reblurAll("hidden");
  });

  // Submitting drops every revealed image first; the next item arrives blurred.
  form.addEventListener("submit", () => reblurAll("reblur"));

  const focused = () => document.querySelector("figure.media:hover") || document.querySelector("figure.media");
  const setVerdict = (v) => {
    const radio = form.querySelector(`input[name="verdict"][value="${v}"]`);
    if (radio) radio.checked = true;
  };
  const overlay = document.querySelector('[data-testid="shortcuts"]');

  document.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const typing = e.target.matches("textarea, input[type=text], input[type=email]");
    if (e.key === "Escape") {
      reblurAll("reblur");
      overlay.hidden = true;
      if (typing) e.target.blur();
      return;
    }
    if (typing) return;
    const key = e.key.toLowerCase();
    if (/^[1-9]$/.test(key)) {
      const cat = form.querySelector(`input[name="category"][data-key="${key}"]`);
      if (cat) {
        cat.checked = true;
        setVerdict("violating");
      }
    } else if (key === "n") setVerdict("not_violating");
    else if (key === "e" || key === "s") {
      setVerdict(key === "e" ? "escalate" : "skip");
      form.querySelector("textarea[name=note]").focus();
      e.preventDefault();
    } else if (key === "r" && focused().querySelector('[data-reveal="grey"]')) reveal(focused(), "grey");
    else if (key === "c" && focused().querySelector('[data-reveal="colour"]')) reveal(focused(), "colour");
    else if (key === "q") document.querySelector('[data-testid="release-form"]').requestSubmit();
    else if (key === "?") overlay.hidden = !overlay.hidden;
    else if (key === "enter") {
      e.preventDefault();
      form.requestSubmit();
    } else return;
    e.preventDefault();
  });
})();
