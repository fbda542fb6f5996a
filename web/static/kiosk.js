// The kiosk survey: one question a screen, answers queued on the device (IndexedDB) and sent
// in batches when the network allows. An answer leaves the queue only when the server has
// named its id as created or duplicate in a JSON reply, or has refused it by name (then it is
// set aside for staff), so nothing is lost and nothing counted twice. Plain JavaScript, no
// build step, no external assets.
(function () {
  "use strict";

  var cfg = JSON.parse(document.getElementById("kiosk-config").textContent);
  var root = document.getElementById("kiosk");
  var countEl = document.getElementById("queue-count");
  var banner = document.getElementById("kiosk-banner");
  var THANKS_MS = 5000, IDLE_MS = 60000, SYNC_MS = 15000, BATCH = 100, DAY_MS = 86400000;
  // Stops happen in Sweden: their dates and times are shown in its zone whatever the
  // tablet's clock is set to.
  var ZONE = "Europe/Stockholm";
  // A preview (staff, /kiosk/preview) queues and sends nothing and keeps its stop to itself,
  // so it cannot disturb a paired tablet's queue or stop on the same browser.
  var preview = !!cfg.preview;

  var state = { lang: "sv", stop: loadStop(), screen: "welcome",
    answers: {}, order: [], pos: 0, part: "core", started: 0 };
  var idleTimer = null, thanksTimer = null, retryAt = 0, syncing = false, unpaired = false;

  // ---- dates and times in Sweden ----
  function zoneParts(d, opts) {
    var out = {};
    new Intl.DateTimeFormat("sv-SE", Object.assign({ timeZone: ZONE }, opts)).formatToParts(d)
      .forEach(function (p) { out[p.type] = p.value; });
    return out;
  }
  // dayISO is d's date in Sweden, "2018-03-14".
  function dayISO(d) {
    var p = zoneParts(d, { year: "numeric", month: "2-digit", day: "2-digit" });
    return p.year + "-" + p.month + "-" + p.day;
  }
  function clock(d) {
    var p = zoneParts(d, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    return p.hour + "." + p.minute;
  }
  // when writes a stop's time as the rest of the app does (lofte.When, without the year):
  // "ons 14 mars kl. 10.00–13.00".
  function when(start, end) {
    var a = new Date(start), b = new Date(end), p = zoneParts(a, { weekday: "short", day: "numeric", month: "long" });
    var out = p.weekday + " " + p.day + " " + p.month + " kl. " + clock(a) + "–";
    if (dayISO(a) !== dayISO(b)) {
      var q = zoneParts(b, { day: "numeric", month: "long" });
      out += q.day + " " + q.month + " ";
    }
    return out + clock(b);
  }
  function today() { return dayISO(new Date()); }

  // A chosen stop holds for the day it was chosen on (in Sweden): the next morning staff
  // choose again, so yesterday's stop never collects today's answers. A preview's stop is
  // never stale: it is staff looking, not a day's answers.
  function staleStop(s) { return !preview && !!s && s.date !== today(); }
  function loadStop() {
    if (preview) return null;
    var s = null;
    try { s = JSON.parse(localStorage.getItem("mlf.stop") || "null"); } catch (e) { /* a bad copy is no stop */ }
    if (s && !staleStop(s)) return s;
    localStorage.removeItem("mlf.stop");
    return null;
  }
  function keepStop(s) {
    state.stop = s;
    if (preview) return;
    if (s) localStorage.setItem("mlf.stop", JSON.stringify(s)); else localStorage.removeItem("mlf.stop");
  }
  function T() { return cfg.texts[state.lang] || cfg.texts.sv; }
  function ui(key, vars) {
    var s = T().ui[key] || cfg.texts.sv.ui[key] || key;
    Object.keys(vars || {}).forEach(function (k) { s = s.split("{" + k + "}").join(String(vars[k])); });
    return s;
  }
  function itemText(code) {
    var t = (T().items[code] || cfg.texts.sv.items[code]).text;
    return t.split("[basort]").join(state.stop ? state.stop.basort : "");
  }
  function optionText(code, opt) {
    var o = (T().items[code] || {}).options || {};
    return o[opt] || cfg.texts.sv.items[code].options[opt] || opt;
  }
  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") e.textContent = attrs[k];
      else if (k === "onclick") e.addEventListener("click", attrs[k]);
      else e.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) e.appendChild(c); });
    return e;
  }

  // ---- the queue (IndexedDB) ----
  var dbp = null;
  function db() {
    if (!dbp) {
      dbp = new Promise(function (resolve, reject) {
        var req = indexedDB.open("mlf-kiosk", 1);
        req.onupgradeneeded = function () {
          req.result.createObjectStore("queue", { keyPath: "id" });
          req.result.createObjectStore("rejected", { keyPath: "id" });
        };
        req.onsuccess = function () { resolve(req.result); };
        req.onerror = function () { reject(req.error); };
      });
    }
    return dbp;
  }
  function tx(store, mode, fn) {
    return db().then(function (d) {
      return new Promise(function (resolve, reject) {
        var t = d.transaction(store, mode), out;
        out = fn(t.objectStore(store));
        t.oncomplete = function () { resolve(out && "result" in out ? out.result : undefined); };
        t.onerror = function () { reject(t.error); };
        t.onabort = function () { reject(t.error); };
      });
    });
  }
  function enqueue(r) {
    if (preview) return Promise.resolve();
    return tx("queue", "readwrite", function (s) { return s.put(r); });
  }
  function queued() { return tx("queue", "readonly", function (s) { return s.getAll(); }); }
  function removeIds(ids) {
    return tx("queue", "readwrite", function (s) { ids.forEach(function (id) { s.delete(id); }); });
  }
  function setAside(item, why) {
    item.why = why;
    return tx("rejected", "readwrite", function (s) { s.put(item); })
      .then(function () { return removeIds([item.id]); });
  }
  function showCount() {
    if (preview) return Promise.resolve();
    return Promise.all([queued(), tx("rejected", "readonly", function (s) { return s.count(); })]).then(function (r) {
      var n = r[0].length, bad = r[1];
      countEl.textContent = n || bad ? ("⟳ " + n + (bad ? " · ⚠ " + bad : "")) : "";
      countEl.setAttribute("data-queued", String(n));
      countEl.setAttribute("data-rejected", String(bad));
    });
  }

  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // sync sends the queue, oldest first, a batch at a time until it is empty or the server
  // says wait. Only a 2xx JSON reply naming ids removes them: a captive portal answering 200
  // HTML removes nothing. A network failure waits 5 s; the counter is redrawn at the end.
  async function sync() {
    if (preview || syncing || Date.now() < retryAt || !navigator.onLine) return;
    syncing = true;
    try {
      while (await sendBatch() && navigator.onLine) { /* on with the next batch */ }
    } catch (e) {
      retryAt = Date.now() + 5000;
    } finally {
      syncing = false;
    }
    await showCount();
  }

  // sendBatch posts the oldest queued answers once and says whether to go on at once: yes when
  // every one was stored or one refused answer was set aside, no when the queue is empty or
  // the server asks to wait.
  async function sendBatch() {
    var items = await queued();
    if (!items.length) return false;
    items.sort(function (a, b) { return a.answered_at < b.answered_at ? -1 : 1; });
    var batch = items.slice(0, BATCH);
    var resp = await fetch("/api/v1/responses", { method: "POST", credentials: "same-origin", cache: "no-store",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify({ responses: batch.map(function (r) {
        return { id: r.id, stop_id: r.stop_id, lang: r.lang, answered_at: r.answered_at, answers: r.answers };
      }) }) });
    if (resp.status === 429) {
      retryAt = Date.now() + 1000 * (parseInt(resp.headers.get("Retry-After"), 10) || 5);
      return false;
    }
    if ((resp.headers.get("Content-Type") || "").indexOf("application/json") !== 0) {
      retryAt = Date.now() + 10000;
      return false;
    }
    var data = await resp.json();
    if (resp.ok && data && Array.isArray(data.results)) {
      var done = data.results.filter(function (r) { return r.result === "created" || r.result === "duplicate"; })
        .map(function (r) { return r.id; });
      await removeIds(done);
      setUnpaired(false);
      return done.length === batch.length;
    }
    var err = data && data.error;
    var m = err && /^responses\[(\d+)\]/.exec(err.field || "");
    if ((resp.status === 400 || resp.status === 409) && m && batch[+m[1]]) {
      // One bad answer must not hold back the rest: set it aside, visible to staff.
      await setAside(batch[+m[1]], err.message);
      return true;
    }
    if (resp.status === 401 || resp.status === 403) setUnpaired(true);
    retryAt = Date.now() + 10000;
    return false;
  }

  // ---- pairing ----
  // setUnpaired shows staff, in Swedish, that the tablet's token was revoked or expired. The
  // queue stays: answers wait on the tablet and go once staff pair it again (same browser,
  // same queue).
  function setUnpaired(on) {
    if (on === unpaired) return;
    unpaired = on;
    renderBanner();
  }
  function renderBanner() {
    banner.innerHTML = "";
    banner.className = "kiosk-banner";
    if (preview) {
      banner.className += " preview";
      banner.appendChild(el("p", { id: "preview-banner",
        text: "Förhandsvisning för personal: svaren sparas inte och skickas inte." }));
      return;
    }
    if (!unpaired) return;
    banner.className += " unpaired";
    banner.appendChild(el("p", { id: "unpaired-banner" }, [
      el("strong", { text: "Plattan behöver paras om av personal. " }),
      document.createTextNode("Svaren som väntar finns kvar och skickas när plattan är ihopparad igen. "),
      el("a", { href: "/kiosk/pair", text: "Para ihop plattan" })]));
  }
  // checkPairing asks whether the tablet's token still counts (HEAD /kiosk, which the service
  // worker lets through): 401 or 403 means pair again; no network means we cannot tell.
  function checkPairing() {
    if (preview) return Promise.resolve();
    return fetch("/kiosk", { method: "HEAD", credentials: "same-origin", cache: "no-store",
      headers: { "Accept": "application/json" } })
      .then(function (r) { if (r.status === 401 || r.status === 403) setUnpaired(true); else if (r.ok) setUnpaired(false); })
      .catch(function () {});
  }

  // ---- screens ----
  function langBar() {
    var nav = el("nav", { "class": "langs", "aria-label": ui("language") });
    cfg.langs.forEach(function (code) {
      nav.appendChild(el("button", { type: "button", lang: code, "class": "lang" + (code === state.lang ? " current" : ""),
        "aria-pressed": code === state.lang ? "true" : "false", text: cfg.texts[code].name,
        onclick: function () { state.lang = code; render(); } }));
    });
    return nav;
  }

  function setDir() {
    document.documentElement.lang = state.lang;
    document.documentElement.dir = T().dir;
    root.dir = T().dir;
  }

  function shown(item) {
    var a = state.answers;
    if (item.only_if && item.only_if.in.indexOf(a[item.only_if.item]) < 0) return false;
    if (item.unless && a[item.unless.item] !== undefined && item.unless.in.indexOf(a[item.unless.item]) >= 0) return false;
    return true;
  }
  function partItems(part) { return cfg.items.filter(function (i) { return i.part === part; }); }
  // The questions still to ask in this part, given the answers so far.
  function visible() { return partItems(state.part).filter(shown); }

  function render() {
    // A stop chosen on another day is forgotten between visitors, never in the middle of one.
    if (state.screen === "welcome" && staleStop(state.stop)) keepStop(null);
    if (!state.stop) state.lang = "sv";
    setDir();
    root.innerHTML = "";
    var screen;
    if (!state.stop) screen = renderPicker();
    else if (state.screen === "welcome") screen = renderWelcome();
    else if (state.screen === "more") screen = renderMore();
    else if (state.screen === "thanks") screen = renderThanks();
    else screen = renderQuestion();
    root.appendChild(screen);
    var h = root.querySelector("h1");
    if (h) { h.setAttribute("tabindex", "-1"); h.focus({ preventScroll: true }); }
  }

  function renderWelcome() {
    var news = el("aside", { "class": "nisa", id: "nisa", "aria-label": ui("feedback") });
    showFeedback(news);
    return el("section", { "class": "screen welcome" }, [
      langBar(),
      el("h1", { text: ui("title") }),
      el("p", { "class": "where" }, [el("bdi", { lang: "sv", text: state.stop.basort + " · " + state.stop.place })]),
      el("p", { "class": "lead", text: ui("welcome") }),
      el("button", { type: "button", "class": "primary big", id: "start", text: ui("start"), onclick: start }),
      news
    ]);
  }

  // showFeedback lists what came of what people in this basort raised ("ni sa – vi gjorde"),
  // from the server or, offline, from the last copy. The heading and topic are in the
  // visitor's language; what was said and done is staff's Swedish, marked so, so that a
  // right-to-left page keeps its quotes and arrow in place.
  function showFeedback(box) {
    var key = "mlf.feedback." + state.stop.basort;
    var paint = function (items) {
      box.innerHTML = "";
      if (!items || !items.length) return;
      box.appendChild(el("h2", { text: ui("feedback") }));
      items.slice(0, 3).forEach(function (f) {
        box.appendChild(el("p", { "class": "fb-item" }, [
          el("strong", { text: optionText("problems", f.topic) + ": " }),
          el("span", { lang: "sv", dir: "ltr", text: "”" + f.said + "” → " + f.action })]));
      });
    };
    try { paint(JSON.parse(localStorage.getItem(key) || "[]")); } catch (e) { /* ignore a bad copy */ }
    fetch("/api/v1/feedback?status=closed&basort=" + encodeURIComponent(state.stop.basort), { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error(); return r.json(); })
      .then(function (d) { localStorage.setItem(key, JSON.stringify(d.items.slice(0, 3))); paint(d.items); })
      .catch(function () {});
  }

  function start() {
    state.answers = {}; state.part = "core"; state.pos = 0; state.screen = "question"; state.started = Date.now();
    render();
  }

  // progress shows "Fråga n" and a bar. n counts the question screens so far, so it only ever
  // goes up by one; the bar is the question's place among all questions, so a follow-up that
  // appears or vanishes never moves it back (a total would jump: "1 av 8" then "2 av 7").
  function progress() {
    var core = partItems("core").filter(shown).length;
    var n = state.part === "core" ? state.pos + 1 : core + state.pos + 1;
    var place = cfg.items.indexOf(visible()[state.pos]) + 1;
    var pct = Math.max(1, Math.round(100 * place / cfg.items.length));
    var text = ui("progress", { n: n });
    var bar = el("div", { "class": "progress", role: "progressbar", "aria-valuemin": "0", "aria-valuemax": "100",
      "aria-valuenow": String(pct), "aria-valuetext": text, "aria-label": text }, [el("span")]);
    bar.firstChild.style.width = pct + "%";
    return el("div", { "class": "progress-wrap" }, [bar, el("p", { "class": "progress-text", text: text })]);
  }

  function answerAndNext(code, value) {
    if (value === undefined || value === null || (Array.isArray(value) && !value.length) || value === "") delete state.answers[code];
    else state.answers[code] = value;
    next();
  }

  function next() {
    var items = visible();
    state.pos++;
    if (state.pos < items.length) { render(); return; }
    if (state.part === "core") { state.screen = "more"; render(); return; }
    finish();
  }

  function back() {
    if (state.pos > 0) { state.pos--; render(); return; }
    if (state.part === "extended") { state.screen = "more"; render(); return; }
    state.screen = "welcome"; render();
  }

  // renderQuestion draws the current item with the input of its kind, then back and skip.
  function renderQuestion() {
    var item = visible()[state.pos];
    if (!item) { next(); return el("div"); }
    var sec = el("section", { "class": "screen question", "data-item": item.code }, [langBar(), progress(),
      el("h1", { id: "q-" + item.code, text: itemText(item.code) })]);
    var parts = inputs[item.kind](item);
    parts.body.forEach(function (e) { sec.appendChild(e); });
    sec.appendChild(nav(item, parts.go));
    return sec;
  }

  // inputs draws each kind of item; each returns the elements between the question and nav
  // (body) and the button that answers and goes on, if the kind has one (go), which sits in
  // the nav row so that it shows without scrolling.
  var inputs = { one: renderOne, scale: renderScale, many: renderMany, text: renderText };

  // optionGroup holds an item's option buttons, labelled by its question.
  function optionGroup(item, buttons) {
    return el("div", { "class": "options " + item.kind, role: item.kind === "many" ? "group" : "radiogroup",
      "aria-labelledby": "q-" + item.code }, buttons);
  }

  // renderOne: a button per option; a tap answers and moves on.
  function renderOne(item) {
    var current = state.answers[item.code];
    return { body: [optionGroup(item, item.options.map(function (o) {
      return el("button", { type: "button", "class": "option" + (current === o ? " chosen" : ""), "data-option": o,
        role: "radio", "aria-checked": current === o ? "true" : "false", text: optionText(item.code, o),
        onclick: function () { answerAndNext(item.code, o); } });
    }))] };
  }

  var SVG = "http://www.w3.org/2000/svg";
  function svgEl(tag, attrs) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    return e;
  }
  // face draws a face as SVG, so that no emoji font is needed: the mouth bends from a frown
  // (k = -1, the worst value) through a straight line to a smile (k = 1). The button names it.
  function face(k) {
    var svg = svgEl("svg", { viewBox: "0 0 40 40", "class": "face-svg", "aria-hidden": "true", focusable: "false" });
    svg.appendChild(svgEl("circle", { cx: 20, cy: 20, r: 18, fill: "#ffe27a", stroke: "currentColor", "stroke-width": 2 }));
    svg.appendChild(svgEl("circle", { cx: 14, cy: 16, r: 2.4, fill: "currentColor" }));
    svg.appendChild(svgEl("circle", { cx: 26, cy: 16, r: 2.4, fill: "currentColor" }));
    var y = 27 - 2 * k;
    svg.appendChild(svgEl("path", { d: "M12 " + y + " Q20 " + (y + 8 * k) + " 28 " + y, fill: "none",
      stroke: "currentColor", "stroke-width": 2.5, "stroke-linecap": "round" }));
    return svg;
  }

  // renderScale: a face per value, worst to best; a tap answers and moves on.
  function renderScale(item) {
    var buttons = [];
    for (let v = item.min; v <= item.max; v++) {
      buttons.push(el("button", { type: "button", "class": "option face", "data-option": String(v), role: "radio",
        "aria-checked": state.answers[item.code] === v ? "true" : "false", "aria-label": optionText(item.code, String(v)),
        onclick: function () { answerAndNext(item.code, v); } },
        [face(item.max > item.min ? 2 * (v - item.min) / (item.max - item.min) - 1 : 0),
          el("span", { "class": "face-label", text: optionText(item.code, String(v)) })]));
    }
    return { body: [optionGroup(item, buttons)] };
  }

  // renderMany: toggle buttons, at most item.max chosen, then Next. One more than the
  // maximum is refused out loud, not silently.
  function renderMany(item) {
    var chosen = (state.answers[item.code] || []).slice();
    var warn = el("p", { "class": "hint warn", id: "too-many", role: "status" });
    var group = optionGroup(item, item.options.map(function (o) {
      return el("button", { type: "button", "class": "option" + (chosen.indexOf(o) >= 0 ? " chosen" : ""), "data-option": o,
        "aria-pressed": chosen.indexOf(o) >= 0 ? "true" : "false", text: optionText(item.code, o),
        onclick: function () { toggle(o); } });
    }));
    function toggle(o) {
      var i = chosen.indexOf(o);
      warn.textContent = "";
      if (i >= 0) chosen.splice(i, 1);
      else if (chosen.length < item.max) chosen.push(o);
      else warn.textContent = ui("too_many", { max: item.max });
      state.answers[item.code] = chosen.slice();
      if (!chosen.length) delete state.answers[item.code];
      Array.prototype.forEach.call(group.children, function (c) {
        var on = chosen.indexOf(c.getAttribute("data-option")) >= 0;
        c.classList.toggle("chosen", on); c.setAttribute("aria-pressed", on ? "true" : "false");
      });
    }
    return { body: [el("p", { "class": "hint", text: ui("choose_up_to", { max: item.max }) }), group, warn],
      go: el("button", { type: "button", "class": "primary", id: "next", text: ui("next"),
        onclick: function () { answerAndNext(item.code, chosen); } }) };
  }

  // renderText: a text box with the characters left, then Send.
  function renderText(item) {
    var ta = el("textarea", { id: "comment", maxlength: String(item.max), rows: "5", "aria-labelledby": "q-" + item.code });
    ta.value = state.answers[item.code] || "";
    var left = el("p", { "class": "hint", "aria-live": "polite" });
    var upd = function () { left.textContent = ui("chars_left", { n: item.max - ta.value.length }); };
    ta.addEventListener("input", upd); upd();
    return { body: [ta, left], go: el("button", { type: "button", "class": "primary", id: "send", text: ui("send"),
      onclick: function () { answerAndNext(item.code, ta.value.trim()); } }) };
  }

  // nav: back at the start; skip, and the item's own button when it has one, at the end.
  function nav(item, go) {
    return el("div", { "class": "nav" }, [
      el("button", { type: "button", "class": "secondary", id: "back", text: ui("back"), onclick: back }),
      el("button", { type: "button", "class": "secondary skip", id: "skip", text: ui("skip"),
        onclick: function () { delete state.answers[item.code]; next(); } }),
      go
    ]);
  }

  function renderMore() {
    return el("section", { "class": "screen more" }, [langBar(),
      el("h1", { text: T().more.text }),
      el("div", { "class": "options one" }, [
        el("button", { type: "button", "class": "option", id: "more-yes", text: T().more.yes,
          onclick: function () { state.part = "extended"; state.pos = 0; state.screen = "question"; render(); } }),
        el("button", { type: "button", "class": "option", id: "more-no", text: T().more.no, onclick: finish })
      ]),
      el("div", { "class": "nav" }, [el("button", { type: "button", "class": "secondary", id: "back", text: ui("back"),
        onclick: function () { state.part = "core"; state.pos = visible().length - 1; state.screen = "question"; render(); } })])
    ]);
  }

  function finish() {
    var r = { id: uuid(), stop_id: state.stop.id, lang: state.lang, answered_at: new Date().toISOString(), answers: state.answers };
    state.answers = {};
    state.screen = "thanks";
    render();
    enqueue(r).then(showCount).then(sync);
    clearTimeout(thanksTimer);
    thanksTimer = setTimeout(reset, THANKS_MS);
  }

  function renderThanks() {
    return el("section", { "class": "screen thanks" }, [langBar(),
      el("h1", { text: ui("thanks") }), el("p", { "class": "lead", text: ui("thanks_sub") })]);
  }

  // reset greets the next visitor in Swedish with an empty survey.
  function reset() {
    clearTimeout(thanksTimer);
    state.answers = {}; state.part = "core"; state.pos = 0; state.screen = "welcome"; state.lang = "sv";
    render();
  }

  // ---- staff: choose today's stop ----
  // renderPicker lists the stops from yesterday to tomorrow (in Sweden), in staff's Swedish;
  // a preview lists the coming month's, so staff can look at the survey before a stop.
  function renderPicker() {
    var sec = el("section", { "class": "screen picker" }, [el("h1", { text: "Välj dagens tillfälle" }),
      el("p", { text: preview ? "Förhandsvisning: välj ett tillfälle för att se enkäten som besökarna ser den där."
        : "För personal: välj vilket tillfälle surfplattan står vid. Besökarna ser sedan enkäten." })]);
    var list = el("div", { "class": "options one", id: "stops" }, [el("p", { text: "Hämtar tillfällen …" })]);
    sec.appendChild(list);
    var now = Date.now();
    var url = "/api/v1/stops?from=" + dayISO(new Date(now - DAY_MS)) + "&to=" + dayISO(new Date(now + (preview ? 30 : 1) * DAY_MS));
    fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error("status " + r.status);
      return r.json();
    }).then(function (data) {
      if (!preview) localStorage.setItem("mlf.stops", JSON.stringify(data.stops));
      return data.stops;
    }).catch(function () {
      try { return preview ? [] : JSON.parse(localStorage.getItem("mlf.stops") || "[]"); } catch (e) { return []; }
    }).then(function (stops) {
      list.innerHTML = "";
      stops = (stops || []).filter(function (s) { return s.status === "published" || s.status === "held"; });
      if (!stops.length) {
        list.appendChild(el("p", { text: preview ? "Inga publicerade tillfällen den närmaste månaden."
          : "Inga publicerade tillfällen i dag. Planera ett tillfälle först." }));
      }
      var choose = function (s) { keepStop({ id: s.id, basort: s.basort, place: s.place, date: today() }); reset(); };
      stops.forEach(function (s) {
        list.appendChild(el("button", { type: "button", "class": "option", "data-stop": String(s.id),
          text: s.basort + ", " + s.place + " – " + when(s.starts_at, s.ends_at), onclick: function () { choose(s); } }));
      });
      // A preview needs no planned stop: an example place fills in [basort].
      if (preview) {
        list.appendChild(el("button", { type: "button", "class": "option", id: "preview-example",
          text: "Utan tillfälle (med en påhittad ort, Exempelby)",
          onclick: function () { choose({ id: 0, basort: "Exempelby", place: "Torget" }); } }));
      }
    });
    return sec;
  }

  // Holding the staff button (⚙) for two seconds, or pressing Enter or Space on it twice within
  // 0.8 s (holding the key down does, by auto-repeat), forgets the chosen stop and opens the
  // picker; a single tap or key press does nothing, so a visitor does not change the stop by
  // accident.
  (function () {
    var b = document.getElementById("staff-button"), t = null, lastKey = 0;
    function open() { keepStop(null); state.screen = "welcome"; render(); }
    b.addEventListener("pointerdown", function () { t = setTimeout(open, 2000); });
    ["pointerup", "pointerleave", "pointercancel"].forEach(function (e) { b.addEventListener(e, function () { clearTimeout(t); }); });
    b.addEventListener("keydown", function (e) {
      if (e.key !== "Enter" && e.key !== " ") return;
      e.preventDefault();
      if (Date.now() - lastKey < 800) open();
      lastKey = Date.now();
    });
  })();

  // ---- idle reset, sync triggers, offline support ----
  function touched() {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(function () { if (state.screen !== "welcome" && state.stop) reset(); }, IDLE_MS);
  }
  ["pointerdown", "keydown", "input"].forEach(function (e) { document.addEventListener(e, touched, true); });
  window.addEventListener("online", function () { retryAt = 0; sync(); checkPairing(); });
  // A tablet left on overnight asks for the day's stop by itself when the day turns.
  setInterval(function () { if (state.screen === "welcome" && staleStop(state.stop)) render(); }, 60000);
  // Coming back by the back button shows an empty survey, never the previous visitor's answers.
  window.addEventListener("pageshow", function (e) { if (e.persisted) reset(); });
  setInterval(sync, SYNC_MS);

  if (!preview && navigator.storage && navigator.storage.persist) navigator.storage.persist();
  if (!preview && "serviceWorker" in navigator) {
    navigator.serviceWorker.register("/kiosk-sw.js", { scope: "/" }).then(function (reg) {
      var sw = reg.active || reg.installing || reg.waiting;
      if (sw) sw.postMessage({ cache: ["/kiosk"].concat(cfg.assets) });
    }).catch(function () {});
  }
  window.mlfKiosk = { sync: sync, queued: queued, reset: reset };
  renderBanner();
  render();
  showCount().then(sync);
  checkPairing();
})();
