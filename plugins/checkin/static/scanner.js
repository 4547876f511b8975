/* The door scanner (templates/checkin/scan.html): codes from a scanner gun, the keyboard or the camera
   (camera.js), names searched in the downloaded list, scans kept on the phone while the network is down and
   uploaded when it is back. The service worker (/checkin/sw.js) lets the page reopen offline; the code list
   and the queue live in localStorage. The list is dropped once the checkpoint is over. */
(function () {
  "use strict";
  var root = document.getElementById("scanner");
  if (!root) return;
  var T = JSON.parse(root.dataset.texts);
  var eventId = parseInt(root.dataset.event, 10), checkpoint = root.dataset.checkpoint;
  var LIST_KEY = "hd-checkin-list:" + eventId + ":" + checkpoint, QUEUE_KEY = "hd-checkin-queue";
  var people = [], byToken = new Map(), byId = new Map(), syncing = false;
  var listToken = null;  // the signed proof of when this phone downloaded its list (trusted offline times)
  var $ = function (id) { return document.getElementById(id); };

  function load(key, fallback) { try { return JSON.parse(localStorage.getItem(key)) || fallback; } catch (e) { return fallback; } }
  function save(key, value) { try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* storage full */ } }
  function queue() { return load(QUEUE_KEY, []); }
  function mine(item) { return item.event_id === eventId && item.checkpoint === checkpoint; }
  function norm(text) { return text.replace(/\s+/g, "").toUpperCase(); }
  function isCode(text) { return /^HD\./.test(norm(text)); }
  function kind() { var c = document.querySelector("input[name=kind]:checked"); return c ? c.value : "in"; }
  function newId() {
    if (window.crypto && crypto.getRandomValues) {
      var a = new Uint32Array(4); crypto.getRandomValues(a);
      return Array.prototype.map.call(a, function (n) { return n.toString(36); }).join("-");
    }
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
  }
  function hhmm(d) { return ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2); }

  /* When the checkpoint is over for good: the later of its closing (sign-in) and its end (sign-out). */
  function overAt(list) {
    var times = [list.closes_at, list.ends_at].filter(Boolean).map(function (t) { return Date.parse(t); });
    return times.length ? Math.max.apply(null, times) : null;
  }
  function isOver(list) { var at = overAt(list); return at !== null && Date.now() > at; }

  function index(list) {
    people = list; byToken = new Map(); byId = new Map();
    list.forEach(function (p) { if (p.token) byToken.set(p.token, p); byId.set(p.registration_id, p); });
    queue().filter(mine).forEach(function (q) {
      var p = q.code ? byToken.get(q.code) : byId.get(q.registration_id);
      if (p && q.kind === "in" && !p.signed_in_local) p.signed_in_local = q.local;
    });
    $("list-count").textContent = list.length;
  }
  function counts() {
    $("queue-count").textContent = queue().filter(mine).length;
    var on = navigator.onLine;
    $("net").textContent = on ? T.online : T.offline;
    $("net").className = on ? "" : "offline-flag";
  }
  function forgetList() {
    try { localStorage.removeItem(LIST_KEY); } catch (e) { /* storage unavailable */ }
    index([]);
    $("list-over").hidden = false;
    tellWorker("forget");
  }
  function useList(data) {
    if (isOver(data)) { forgetList(); return; }
    save(LIST_KEY, {people: data.people, closes_at: data.closes_at, ends_at: data.ends_at, list_token: data.list_token});
    listToken = data.list_token || null;
    index(data.people);
  }
  function useStoredList() {
    var stored = load(LIST_KEY, null);
    if (Array.isArray(stored)) stored = {people: stored};  // kept by an earlier version of this page
    if (!stored) { index([]); return; }
    if (isOver(stored)) { forgetList(); return; }
    listToken = stored.list_token || null;
    index(stored.people || []);
  }
  function loadList() {
    return fetch(root.dataset.listUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { if (!r.ok || r.redirected) throw new Error(r.status); return r.json(); })
      .then(useList)
      .catch(useStoredList);
  }

  function show(cls, name, where, message) {
    var box = $("result");
    box.hidden = false; box.className = "scan-result " + cls;
    $("result-name").textContent = name || ""; $("result-where").textContent = where || "";
    $("result-message").textContent = message || "";
    var li = document.createElement("li");
    li.textContent = hhmm(new Date()) + " " + (name || "") + " " + (message || "");
    $("recent").insertBefore(li, $("recent").firstChild);
    while ($("recent").children.length > 15) $("recent").removeChild($("recent").lastChild);
    if (cls === "bad" && navigator.vibrate) navigator.vibrate(200);
  }
  function where(p) { return [p.unit, p.team].filter(Boolean).join(" · "); }
  function showAnswer(a) {
    var cls = a.ok && !a.already ? "ok" : (a.result === "already" || a.ok ? "warn" : "bad");
    if (a.ok && a.same_scan) cls = "ok";
    show(cls, a.name, where(a), a.message);
    var p = a.registration_id && byId.get(a.registration_id);
    if (p && a.ok && a.kind === "in") { p.signed_in_local = a.at_local; }
  }

  function post(url, body) {
    return fetch(url, {method: "POST", credentials: "same-origin",
                       headers: {"Content-Type": "application/json", "Accept": "application/json"},
                       body: JSON.stringify(body)});
  }
  function submit(item) {
    item.kind = kind();
    var body = {event_id: eventId, checkpoint: checkpoint, kind: item.kind};
    if (item.code) body.code = item.code; else body.registration_id = item.registration_id;
    return post(root.dataset.scanUrl, body).then(function (r) {
      if (r.status >= 500) throw new Error("server");
      return r.json().then(function (a) {
        if (!r.ok) { show("bad", "", "", a.message || T.refused); return; }
        showAnswer(a);
      });
    }).catch(function () { offline(item); }).then(counts);
  }
  function offline(item) {
    var p = item.code ? byToken.get(item.code) : byId.get(item.registration_id);
    if (p && item.kind === "in" && p.signed_in_local) {
      show("warn", p.name, where(p), T.already.replace("__T__", p.signed_in_local)); return;
    }
    if (!p && !item.code) { show("bad", "", "", T.notListed); return; }
    var now = new Date();
    var q = queue();
    q.push({event_id: eventId, checkpoint: checkpoint, kind: item.kind, code: item.code || null,
            registration_id: item.code ? null : item.registration_id, client_scan_id: newId(),
            scanned_at: now.toISOString(), local: hhmm(now), name: p ? p.name : "", list_token: listToken});
    save(QUEUE_KEY, q);
    if (p) { if (item.kind === "in") p.signed_in_local = hhmm(now); show("ok", p.name, where(p), T.queued); }
    else show("warn", "", "", T.queuedUnknown);
  }

  /* The upload's summary names every scan the server refused (a forged code, a revoked one, another
     event's, outside the window ...) with its reason. */
  function summarize(pending, results) {
    var box = $("sync-summary");
    box.textContent = "";
    var head = document.createElement("p");
    head.textContent = T.synced.replace("__N__", results.length);
    box.appendChild(head);
    var refused = [];
    results.forEach(function (r, i) {
      if (r.ok || r.result === "already") return;
      var q = pending[i] || {};
      var who = r.name || q.name || (q.code ? T.unknownCode.replace("__C__", q.code.length > 16 ? q.code.slice(0, 16) + "…" : q.code) : "");
      refused.push({who: who, why: r.message || T.refused, result: r.result});
    });
    if (refused.length) {
      var lead = document.createElement("p");
      lead.textContent = T.refusedCount.replace("__N__", refused.length);
      box.appendChild(lead);
      var ul = document.createElement("ul");
      refused.forEach(function (f) {
        var li = document.createElement("li");
        li.dataset.result = f.result || "";
        li.textContent = f.who + "：" + f.why;
        ul.appendChild(li);
      });
      box.appendChild(ul);
    }
    box.hidden = false;
    show(refused.length ? "warn" : "ok", "", "", head.textContent);
  }
  /* Uploads go by the list each scan was checked against: its token vouches for times after its download. */
  function sync(sent) {
    sent = sent || {pending: [], results: []};  // what earlier groups of this upload sent, for the summary
    var all = queue().filter(mine);
    if (syncing || !all.length) return Promise.resolve();
    var token = all[0].list_token || null;
    var pending = all.filter(function (q) { return (q.list_token || null) === token; }), more = pending.length < all.length;
    syncing = true;
    var scans = pending.map(function (q) {
      var s = {kind: q.kind, client_scan_id: q.client_scan_id, scanned_at: q.scanned_at};
      if (q.code) s.code = q.code; else s.registration_id = q.registration_id;
      return s;
    });
    var body = {event_id: eventId, checkpoint: checkpoint, scans: scans};
    if (token) body.list_token = token;
    var done = false;
    return post(root.dataset.batchUrl, body)
      .then(function (r) { if (!r.ok || r.redirected) throw new Error(r.status); return r.json(); })
      .then(function (data) {
        var ids = new Set(pending.map(function (q) { return q.client_scan_id; }));
        save(QUEUE_KEY, queue().filter(function (q) { return !ids.has(q.client_scan_id); }));
        sent.pending = sent.pending.concat(pending); sent.results = sent.results.concat(data.results);
        done = true;
        if (more) return null;
        summarize(sent.pending, sent.results);
        return loadList();
      })
      .catch(function () { /* still offline: keep the queue */ })
      .then(function () { syncing = false; counts(); if (done && more) return sync(sent); });
  }
  function search(text) {
    var needle = text.trim(), box = $("matches");
    box.innerHTML = "";
    var found = people.filter(function (p) {
      return p.name.indexOf(needle) >= 0 || p.staff_no === needle;
    }).slice(0, 8);
    if (!found.length) { show("bad", needle, "", T.noMatch); return; }
    found.forEach(function (p) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = p.name + "  " + where(p) + (p.signed_in_local ? "  ✓ " + p.signed_in_local : "");
      b.addEventListener("click", function () { box.innerHTML = ""; submit({registration_id: p.registration_id}); $("code").focus(); });
      box.appendChild(b);
    });
  }
  function handle(text) {
    if (!text.trim()) return;
    $("matches").innerHTML = "";
    if (isCode(text)) submit({code: norm(text)}); else search(text);
  }

  /* The service worker keeps this page for offline use; #offline-ready shows once it has. */
  function tellWorker(type) {
    if (!("serviceWorker" in navigator) || !root.dataset.workerUrl) return Promise.resolve(false);
    return navigator.serviceWorker.ready.then(function (reg) {
      return new Promise(function (resolve) {
        var channel = new MessageChannel();
        channel.port1.onmessage = function (e) { resolve(!!(e.data && e.data.ok)); };
        (navigator.serviceWorker.controller || reg.active).postMessage({type: type, urls: [location.href]}, [channel.port2]);
      });
    }).catch(function () { return false; });
  }
  function installWorker() {
    if (!("serviceWorker" in navigator) || !root.dataset.workerUrl) return;
    var url = root.dataset.workerUrl, scope = url.replace(/[^/]*$/, "") + "events/";
    navigator.serviceWorker.register(url, {scope: scope}).then(function () {
      if (!$("list-over").hidden) return false;
      // A page the worker already served was stored on its way; the first visit is stored now.
      if (navigator.serviceWorker.controller) return true;
      return tellWorker("keep");
    }).then(function (kept) { $("offline-ready").hidden = !kept; })
      .catch(function () { /* no offline copy: the page still works online */ });
  }

  function setupCamera() {
    if (!window.hdCamera) return;
    var cam = $("camera"), stop = $("camera-stop"), torch = $("torch"), swap = $("camera-switch"), session = null;
    window.hdCamera.usable().then(function (ok) { cam.hidden = !ok; });
    cam.addEventListener("click", function () {
      cam.disabled = true;
      window.hdCamera.start($("video"), handle, {
        torchButton: torch, switchButton: swap,
        onTorch: function (on) { torch.textContent = on ? T.torchOn : T.torchOff; }
      }).then(function (s) {
        session = s; cam.hidden = true; stop.hidden = false;
        root.dataset.reader = s.reader;
      }).catch(function () { show("bad", "", "", T.cameraFailed); })
        .then(function () { cam.disabled = false; });
    });
    stop.addEventListener("click", function () {
      if (session) session.stop();
      session = null; stop.hidden = true; cam.hidden = false;
    });
    swap.addEventListener("click", function () { if (session) session.switchCamera().catch(function () {}); });
    torch.addEventListener("click", function () { if (session) session.toggleTorch().catch(function () {}); });
  }

  $("code-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var value = $("code").value; $("code").value = ""; handle(value); $("code").focus();
  });
  $("sync").addEventListener("click", function () { sync(); });
  window.addEventListener("online", function () { counts(); sync(); });
  window.addEventListener("offline", counts);
  setInterval(function () {
    if (navigator.onLine) sync();
    var stored = load(LIST_KEY, null);  // the page left open past the checkpoint's end
    if (stored && !Array.isArray(stored) && isOver(stored)) forgetList();
  }, 20000);

  setupCamera();
  counts();
  loadList().then(function () {
    installWorker();
    if (navigator.onLine) sync();
  });
})();
