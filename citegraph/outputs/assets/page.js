// citegraph: the offline page of a citation graph. Reads the JSON of citegraph.outputs.html.graph_data
// and the interface strings, draws on a canvas with a view transform, places labels without overlap,
// filters, searches, shows lineages and the provinces x central documents table. Document text is only
// ever written with textContent.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("citegraph-data").textContent);
  var STR = JSON.parse(document.getElementById("citegraph-strings").textContent);
  var opts = data.options || {};
  var lang = STR[opts.lang] ? opts.lang : "vi";
  var timings = {};

  // ------------------------------------------------------------------ strings and formats
  function t(key, params) {
    var s = (STR[lang] && STR[lang][key]) || (STR.en && STR.en[key]) || key;
    if (params) s = s.replace(/\{(\w+)\}/g, function (m, k) { return params[k] === undefined ? m : String(params[k]); });
    return s;
  }
  function num(n) { return Number(n).toLocaleString(lang === "vi" ? "vi-VN" : "en-GB"); }
  function fmtDate(s) {
    if (!s) return "";
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
    return m ? (lang === "vi" ? m[3] + "/" + m[2] + "/" + m[1] : s) : s;
  }
  function fold(s) {
    return String(s || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[đĐ\u00d0]/g, "d").toLowerCase().replace(/\s+/g, " ");
  }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function $(id) { return document.getElementById(id); }
  function midShort(s, n) {
    // Cut in the middle: names differ at their end ("... lần thứ XII" / "... lần thứ XIII").
    if (s.length <= n) return s;
    var head = Math.ceil(n * 0.5);
    return s.slice(0, head).replace(/\s+$/, "") + "…" + s.slice(s.length - (n - head - 1)).replace(/^\s+/, "");
  }
  function relName(r) { return t("rel_" + r) === "rel_" + r ? r.replace("_", " ") : t("rel_" + r); }

  // ------------------------------------------------------------------ the graph
  var nodes = data.nodes, N = nodes.length, E = data.edges.length;
  var X = new Float64Array(N), Y = new Float64Array(N), R = new Float64Array(N);
  var LEVEL_IX = {}, SYS = ["party", "state", "other"];
  data.levels.forEach(function (lv, i) { LEVEL_IX[lv] = i; });
  var nLevel = new Uint8Array(N), nSystem = new Uint8Array(N);
  var nProv = new Int32Array(N), nIssuer = new Int32Array(N), nType = new Int32Array(N);
  nodes.forEach(function (n, i) {
    X[i] = n.x; Y[i] = n.y; R[i] = n.r;
    nLevel[i] = LEVEL_IX[n.level] || 0; nSystem[i] = Math.max(0, SYS.indexOf(n.system));
    nProv[i] = n.province; nIssuer[i] = n.issuer; nType[i] = n.type;
  });
  var eFrom = new Int32Array(E), eTo = new Int32Array(E), eRel = new Int32Array(E);
  data.edges.forEach(function (e, k) { eFrom[k] = e[0]; eTo[k] = e[1]; eRel[k] = e[2]; });
  var REL = data.relations, RELIX = {};
  REL.forEach(function (r, i) { RELIX[r] = i; });
  var relCount = REL.map(function () { return 0; });
  for (var k0 = 0; k0 < E; k0++) relCount[eRel[k0]]++;
  // Edges in drawing order: "cites" first (underneath), typed relations over them.
  var edgeOrder = new Int32Array(E);
  (function () {
    var rank = REL.map(function (r) { return r === "cites" ? 0 : 1 + REL.indexOf(r); });
    var idx = []; for (var k = 0; k < E; k++) idx.push(k);
    idx.sort(function (a, b) { return rank[eRel[a]] - rank[eRel[b]] || a - b; });
    edgeOrder.set(idx);
  })();
  // Compressed adjacency: out (citing -> cited) and in.
  function csr(src) {
    var start = new Int32Array(N + 1), list = new Int32Array(E);
    for (var k = 0; k < E; k++) start[src[k] + 1]++;
    for (var i = 0; i < N; i++) start[i + 1] += start[i];
    var fill = start.slice(0, N);
    for (k = 0; k < E; k++) list[fill[src[k]]++] = k;
    return {start: start, list: list};
  }
  var OUT = csr(eFrom), IN = csr(eTo);
  // Node drawing order, grouped by colour; label priority: most cited first, corpus documents next.
  var byColour = [], prio = [];
  for (var i0 = 0; i0 < N; i0++) { byColour.push(i0); prio.push(i0); }
  byColour.sort(function (a, b) { return nodes[a].color - nodes[b].color || a - b; });
  prio.sort(function (a, b) { return nodes[b].cited - nodes[a].cited || nodes[b].corpus - nodes[a].corpus || a - b; });
  var frameOf = new Int32Array(N).fill(-1);
  data.frames.forEach(function (f, fi) {
    for (var i = 0; i < N; i++)
      if (frameOf[i] < 0 && X[i] >= f.x && X[i] <= f.x + f.w && Y[i] >= f.y && Y[i] <= f.y + f.h) frameOf[i] = fi;
  });

  // ------------------------------------------------------------------ state
  var f = {province: -1, issuer: -1, type: -1, system: {}, level: {}, rel: {}};
  SYS.forEach(function (s) { f.system[s] = true; });
  data.levels.forEach(function (lv) { f.level[lv] = true; });
  REL.forEach(function (r) { f.rel[r] = !(r === "cites" && opts.cites_hidden); });
  var shown = new Uint8Array(N), nShown = 0;
  var vedges = new Int32Array(E), nVedges = 0;
  var frameShown = new Int32Array(data.frames.length);
  var match = null, nMatch = 0, query = "";
  var selected = -1, hoverNode = -1;
  var lineage = null; // {member: Uint8Array, list, root, title}
  var PX = X, PY = Y;
  var compact = null; // {bands} when a subset is laid out on its own (lineage, or a filter keeping few)
  var COMPACT_MAX = 2500;
  var view = {s: 1, tx: 0, ty: 0};
  var savedView = null;
  var currentTab = "graph";
  var placedLabels = [];

  // ------------------------------------------------------------------ visibility
  var provLinked = null; // central documents linked to a shown document of the chosen province
  function nodePasses(i) {
    if (!f.system[SYS[nSystem[i]]] || !f.level[nodes[i].level]) return false;
    if (f.issuer >= 0 && nIssuer[i] !== f.issuer) return false;
    if (f.type >= 0 && nType[i] !== f.type) return false;
    if (f.province >= 0 && nProv[i] !== f.province && !(provLinked && provLinked[i])) return false;
    return true;
  }
  function computeVisible() {
    provLinked = null;
    if (f.province >= 0) {
      provLinked = new Uint8Array(N);
      for (var k = 0; k < E; k++) {
        if (!f.rel[REL[eRel[k]]]) continue;
        var a = eFrom[k], b = eTo[k];
        if (nProv[a] === f.province && nodes[b].level === "central") provLinked[b] = 1;
        if (nProv[b] === f.province && nodes[a].level === "central") provLinked[a] = 1;
      }
    }
    nShown = 0;
    frameShown.fill(0);
    for (var i = 0; i < N; i++) {
      var ok;
      if (lineage) ok = lineage.member[i] === 1;
      else {
        ok = nodePasses(i);
        if (ok && match && $("cg-only").checked) ok = match[i] === 1;
      }
      shown[i] = ok ? 1 : 0;
      if (ok) { nShown++; if (frameOf[i] >= 0) frameShown[frameOf[i]]++; }
    }
    nVedges = 0;
    for (var j = 0; j < E; j++) {
      var e = edgeOrder[j];
      if (f.rel[REL[eRel[e]]] && shown[eFrom[e]] && shown[eTo[e]]) vedges[nVedges++] = e;
    }
    // A lineage, or a filter keeping few documents, is laid out on its own (levels top to bottom)
    // rather than scattered over the whole drawing; the full graph keeps the layout from Python.
    if (lineage || (nShown < N && nShown <= COMPACT_MAX && nShown > 0)) {
      var list = [];
      for (var k2 = 0; k2 < N; k2++) if (shown[k2]) list.push(k2);
      var lay = compactLayout(list);
      PX = lay.LX; PY = lay.LY; compact = lay;
    } else { PX = X; PY = Y; compact = null; }
  }

  // ------------------------------------------------------------------ canvas and view
  var canvas = $("cg-canvas"), ctx = canvas.getContext("2d"), stage = $("cg-stage");
  var W = 0, H = 0, dpr = 1;
  function resize() {
    var r = stage.getBoundingClientRect();
    dpr = window.devicePixelRatio || 1;
    W = Math.max(1, r.width); H = Math.max(1, r.height);
    canvas.width = Math.round(W * dpr); canvas.height = Math.round(H * dpr);
  }
  function minRadius() { return nShown > 3000 ? 1.8 : nShown > 600 ? 2.4 : nShown > 60 ? 3.5 : 6; }
  function sr(i) { return Math.max(minRadius(), (compact ? Math.min(R[i], 26) : R[i]) * view.s); }
  function sx(i) { return PX[i] * view.s + view.tx; }
  function sy(i) { return PY[i] * view.s + view.ty; }
  function fit(animate) {
    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity, any = false;
    for (var i = 0; i < N; i++) {
      if (!shown[i]) continue;
      any = true;
      x0 = Math.min(x0, PX[i] - R[i]); x1 = Math.max(x1, PX[i] + R[i]);
      y0 = Math.min(y0, PY[i] - R[i]); y1 = Math.max(y1, PY[i] + R[i]);
    }
    if (!lineage && !match && f.province < 0 && f.issuer < 0 && f.type < 0) {
      data.frames.forEach(function (fr, fi) {
        if (!frameShown[fi]) return;
        x0 = Math.min(x0, fr.x); y0 = Math.min(y0, fr.y); x1 = Math.max(x1, fr.x + fr.w); y1 = Math.max(y1, fr.y + fr.h);
      });
    }
    if (!any) { view = {s: 1, tx: W / 2, ty: H / 2}; return; }
    var top = lineage ? 52 : 16, pad = 24;
    if (compact) x0 -= 60;  // room for the level names at the left
    var bw = Math.max(x1 - x0, 1), bh = Math.max(y1 - y0, 1);
    var s = Math.min((W - 2 * pad) / bw, (H - top - pad) / bh);
    s = Math.min(s, compact ? 1 : 1.6);
    view = {s: s, tx: (W - bw * s) / 2 - x0 * s, ty: top + (H - top - pad - bh * s) / 2 - y0 * s};
  }
  function zoomAt(mx, my, factor) {
    var s = Math.min(6, Math.max(0.005, view.s * factor));
    view.tx = mx - (mx - view.tx) * (s / view.s);
    view.ty = my - (my - view.ty) * (s / view.s);
    view.s = s;
  }

  // ------------------------------------------------------------------ drawing
  var FONT = "12px system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif";
  var FONT_B = "bold 12px system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif";
  var FONT_T = "bold 14px system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif";
  var FONT_SB = "bold 11px system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif";
  var FONT_S = "11px system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif";
  var labelW = new Float32Array(N).fill(-1);
  var TOP_LABELS = 30, LABEL_RADIUS = 2.8, ROW_SPACING = 150;
  var moving = false, movingTimer = null, frameReq = 0;

  function Grid() { this.cells = {}; }
  Grid.prototype.keys = function (r) {
    var out = [], c0 = Math.floor(r.x / 48), c1 = Math.floor((r.x + r.w) / 48);
    var r0 = Math.floor(r.y / 48), r1 = Math.floor((r.y + r.h) / 48);
    for (var a = c0; a <= c1; a++) for (var b = r0; b <= r1; b++) out.push(a + "," + b);
    return out;
  };
  Grid.prototype.free = function (r) {
    var ks = this.keys(r);
    for (var i = 0; i < ks.length; i++) {
      var list = this.cells[ks[i]];
      if (!list) continue;
      for (var j = 0; j < list.length; j++) {
        var q = list[j];
        if (r.x < q.x + q.w && q.x < r.x + r.w && r.y < q.y + q.h && q.y < r.y + r.h) return false;
      }
    }
    return true;
  };
  Grid.prototype.add = function (r) {
    var ks = this.keys(r);
    for (var i = 0; i < ks.length; i++) (this.cells[ks[i]] = this.cells[ks[i]] || []).push(r);
  };

  function requestDraw() {
    if (frameReq) return;
    frameReq = requestAnimationFrame(function () { frameReq = 0; draw(); });
  }
  function setMoving() {
    moving = true;
    clearTimeout(movingTimer);
    movingTimer = setTimeout(function () { moving = false; requestDraw(); }, 140);
  }

  function frameTitle(fr) {
    var name = fr.kind === "central" ? t("band_central") : (fr.name || t("unknown_place"));
    return name + " (" + num(fr.n) + ")";
  }

  function draw() {
    var t0 = performance.now();
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, W, H);
    var grid = new Grid(), texts = [];
    placedLabels = [];
    if (compact) drawBands(grid, texts); else drawFrames(grid, texts);
    drawEdges();
    drawNodes();
    drawTexts(texts);
    drawLabels(grid);
    if (!nShown) {
      ctx.font = FONT_T; ctx.fillStyle = "#6b7280"; ctx.textAlign = "center";
      ctx.fillText(N ? t("nothing_shown") : t("empty_graph"), W / 2, H / 2);
      ctx.textAlign = "left";
    }
    timings.lastDraw = performance.now() - t0;
  }

  function drawFrames(grid, texts) {
    var s = view.s;
    data.frames.forEach(function (fr, fi) {
      if (!frameShown[fi]) return;
      var x = fr.x * s + view.tx, y = fr.y * s + view.ty, w = fr.w * s, h = fr.h * s;
      if (x > W || y > H || x + w < 0 || y + h < 0) return;
      ctx.fillStyle = fr.kind === "central" ? "#eef2ff" : "#f4f4f5";
      ctx.strokeStyle = fr.kind === "central" ? "#c7d2fe" : "#e4e4e7";
      ctx.lineWidth = 1;
      ctx.fillRect(x, y, w, h);
      ctx.strokeRect(x + 0.5, y + 0.5, w, h);
      // Title at the top left, inside the frame, at a constant size on screen: with the count when
      // it fits, the name alone, or in a smaller font; dropped when it would cover another title.
      var name = fr.kind === "central" ? t("band_central") : (fr.name || t("unknown_place"));
      var choices = fr.kind === "central" || f.province >= 0 ?
        [[name + " (" + num(fr.n) + ")", FONT_T], [name, FONT_T], [name, FONT_B]] :
        [[name + " (" + num(fr.n) + ")", FONT_B], [name, FONT_B], [name, FONT_SB]];
      var room = w + (fr.kind === "central" ? 0 : 200 * s);
      var text = "", font = FONT_T, tw = 0;
      for (var c = 0; c < choices.length; c++) {
        ctx.font = choices[c][1];
        tw = ctx.measureText(choices[c][0]).width;
        if (tw + 8 <= room || c === choices.length - 1) { text = choices[c][0]; font = choices[c][1]; break; }
      }
      if (tw + 6 > room || h < 14) return;
      var size = font === FONT_T ? 14 : font === FONT_SB ? 11 : 12;
      var tx = Math.max(x + 4, 4), ty = Math.max(y + 3, 4);
      var rect = {x: tx - 2, y: ty - 1, w: tw + 4, h: size + 5};
      if (!grid.free(rect)) return;
      grid.add(rect);
      texts.push({text: text, x: tx, y: ty + size, font: font, color: "#1f2937"});
      placedLabels.push({x: rect.x, y: rect.y, w: rect.w, h: rect.h, node: -1, size: size, frame: fi});
      // Level names of the bands inside the block, when there is room.
      if (h > 160 && w > 110) {
        (fr.bands || []).forEach(function (b) {
          if (fr.kind === "central" && fr.bands.length < 2) return;
          var by = b.y * s + view.ty - Math.max(14, 0.42 * 120 * s);
          var label = t("level_" + b.level);
          ctx.font = FONT_S;
          var bw = ctx.measureText(label).width;
          var r2 = {x: x + 4, y: by - 11, w: bw + 4, h: 14};
          if (by < y + 20 || !grid.free(r2)) return;
          grid.add(r2);
          placedLabels.push({x: r2.x, y: r2.y, w: r2.w, h: r2.h, node: -1, size: 11});
          texts.push({text: label, x: x + 6, y: by, font: FONT_S, color: "#6b7280"});
        });
      }
    });
  }

  function drawBands(grid, texts) {
    ctx.font = FONT_B;
    compact.bands.forEach(function (b) {
      var x = b.x * view.s + view.tx - 8, y = b.y * view.s + view.ty - Math.max(18, 0.5 * 130 * view.s);
      var text = t("level_" + b.level) + " (" + num(b.n) + ")", w = ctx.measureText(text).width;
      var rect = {x: Math.max(2, x), y: y - 12, w: w + 4, h: 16};
      if (rect.y < 0 || rect.y > H || !grid.free(rect)) return;
      grid.add(rect);
      texts.push({text: text, x: rect.x + 2, y: y, font: FONT_B, color: "#6b7280"});
      placedLabels.push({x: rect.x, y: rect.y, w: rect.w, h: rect.h, node: -1, size: 12});
    });
  }

  function drawTexts(texts) {
    ctx.lineJoin = "round";
    texts.forEach(function (tx) {
      ctx.font = tx.font;
      ctx.lineWidth = 3; ctx.strokeStyle = "rgba(255,255,255,0.85)";
      ctx.strokeText(tx.text, tx.x, tx.y);
      ctx.fillStyle = tx.color;
      ctx.fillText(tx.text, tx.x, tx.y);
    });
  }

  function edgeAlpha(n) { return n > 8000 ? (view.s < 0.1 ? 0.07 : 0.14) : n > 2500 ? 0.22 : n > 600 ? 0.45 : 0.85; }

  function drawEdges() {
    if (!nVedges) return;
    if (moving && nVedges > 6000) return;
    var s = view.s, alpha = edgeAlpha(nVedges);
    var arrows = nVedges <= 2500 || s >= 0.3;
    var widthScale = nVedges > 8000 && s < 0.1 ? 0.7 : Math.min(2.2, Math.max(1, s * 1.5));
    var i = 0;
    ctx.lineCap = "butt";
    while (i < nVedges) {
      var rel = eRel[vedges[i]], j = i;
      while (j < nVedges && eRel[vedges[j]] === rel) j++;
      var st = data.relation_styles[REL[rel]];
      ctx.strokeStyle = st[0]; ctx.fillStyle = st[0];
      ctx.globalAlpha = REL[rel] === "cites" ? alpha * 0.8 : alpha;
      ctx.lineWidth = st[2] * widthScale;
      ctx.setLineDash(st[1] ? st[1] : []);
      ctx.beginPath();
      var heads = arrows ? [] : null;
      for (var k = i; k < j; k++) edgePath(vedges[k], heads);
      ctx.stroke();
      if (heads && heads.length) {
        ctx.setLineDash([]);
        ctx.beginPath();
        var hs = Math.min(9, 5 + 2 * widthScale);
        for (var h = 0; h < heads.length; h += 4) {
          var hx = heads[h], hy = heads[h + 1], vx = heads[h + 2], vy = heads[h + 3];
          ctx.moveTo(hx, hy);
          ctx.lineTo(hx - vx * hs - vy * hs * 0.45, hy - vy * hs + vx * hs * 0.45);
          ctx.lineTo(hx - vx * hs + vy * hs * 0.45, hy - vy * hs - vx * hs * 0.45);
          ctx.closePath();
        }
        ctx.fill();
      }
      i = j;
    }
    ctx.setLineDash([]);
    ctx.globalAlpha = 1;
    if (selected >= 0 && shown[selected]) drawIncident(selected);
  }

  function edgePath(e, heads) {
    // Add edge e to the current path; push its arrow head (tip, direction) onto heads when given.
    var a = eFrom[e], b = eTo[e];
    var x1 = sx(a), y1 = sy(a), x2 = sx(b), y2 = sy(b);
    if ((x1 < 0 && x2 < 0) || (x1 > W && x2 > W) || (y1 < 0 && y2 < 0) || (y1 > H && y2 > H)) return;
    var dx = x2 - x1, dy = y2 - y1, len = Math.sqrt(dx * dx + dy * dy);
    if (len < 0.5) return;
    var along = Math.abs(dy) < 0.2 * Math.abs(dx) && Math.abs(dx) > 2.2 * ROW_SPACING * view.s;
    var across = compact && Math.abs(dy) > 1.6 * 130 * view.s;
    if (along || across) {
      // A straight line along a row, or down across a level, would run behind the documents in
      // between: bend it (above a row; to the side across levels).
      var bulge = along ? Math.min(0.22 * Math.abs(dx), 90) : Math.min(0.1 * len, 50);
      var cx = (x1 + x2) / 2 + (along ? 0 : (dy / len) * bulge);
      var cy = (y1 + y2) / 2 - (along ? bulge : (dx / len) * bulge);
      var tx = x2 - cx, ty = y2 - cy, tl = Math.sqrt(tx * tx + ty * ty) || 1;
      var vx = tx / tl, vy = ty / tl, rc = boundary(b, vx, vy) + 1;
      var fx = x2 - vx * rc, fy = y2 - vy * rc;
      ctx.moveTo(x1, y1); ctx.quadraticCurveTo(cx, cy, fx, fy);
      if (heads) heads.push(fx, fy, vx, vy);
      return;
    }
    var ux = dx / len, uy = dy / len, rb = boundary(b, ux, uy) + 1;
    var ex = x2 - ux * rb, ey = y2 - uy * rb;
    ctx.moveTo(x1, y1); ctx.lineTo(ex, ey);
    if (heads && len > rb + 8) heads.push(ex, ey, ux, uy);
  }

  function drawIncident(v) {
    // The selected document's lines over the others: bold when few, light when it is cited everywhere.
    var deg = OUT.start[v + 1] - OUT.start[v] + IN.start[v + 1] - IN.start[v];
    ctx.lineWidth = deg > 300 ? 0.8 : deg > 60 ? 1.4 : 2.2;
    ctx.globalAlpha = deg > 300 ? 0.35 : deg > 60 ? 0.6 : 1;
    [[OUT, eTo], [IN, eFrom]].forEach(function (pair) {
      var adj = pair[0];
      for (var p = adj.start[v]; p < adj.start[v + 1]; p++) {
        var e = adj.list[p], a = eFrom[e], b = eTo[e];
        if (!shown[a] || !shown[b] || !f.rel[REL[eRel[e]]]) continue;
        var st = data.relation_styles[REL[eRel[e]]];
        ctx.strokeStyle = st[0];
        ctx.setLineDash(st[1] ? st[1] : []);
        ctx.beginPath(); edgePath(e, null); ctx.stroke();
      }
    });
    ctx.setLineDash([]);
    ctx.globalAlpha = 1;
  }

  function boundary(i, ux, uy) {
    // Distance from the centre to the edge of the drawn shape in direction (ux, uy).
    var r = sr(i), sh = nodes[i].shape;
    if (sh === "s") return r / Math.max(Math.abs(ux), Math.abs(uy), 1e-6);
    if (sh === "d") return 1.3 * r / Math.max(Math.abs(ux) + Math.abs(uy), 1e-6);
    return r;
  }

  function shapePath(path, i, x, y, r) {
    var sh = nodes[i].shape;
    if (sh === "s") path.rect(x - r, y - r, 2 * r, 2 * r);
    else if (sh === "d") { path.moveTo(x, y - r * 1.3); path.lineTo(x + r * 1.3, y); path.lineTo(x, y + r * 1.3); path.lineTo(x - r * 1.3, y); path.closePath(); }
    else { path.moveTo(x + r, y); path.arc(x, y, r, 0, 2 * Math.PI); }
  }

  function drawNodes() {
    var colour = -1, path = null, borders = {};
    var pal = data.palette;
    function flush() { if (path) { ctx.fillStyle = pal[colour].color; ctx.fill(path); } }
    for (var q = 0; q < N; q++) {
      var i = byColour[q];
      if (!shown[i]) continue;
      var x = sx(i), y = sy(i), r = sr(i);
      if (x + r < 0 || x - r > W || y + r < 0 || y - r > H) continue;
      if (nodes[i].color !== colour) { flush(); colour = nodes[i].color; path = new Path2D(); }
      shapePath(path, i, x, y, r);
      if (r >= 2.5) {
        var key = nodes[i].system + (nodes[i].corpus ? "1" : "0");
        (borders[key] = borders[key] || new Path2D());
        shapePath(borders[key], i, x, y, r);
      }
    }
    flush();
    Object.keys(borders).forEach(function (key) {
      ctx.strokeStyle = data.borders[key.slice(0, -1)];
      ctx.lineWidth = key.slice(-1) === "1" ? Math.min(2.5, 1 + view.s * 3) : 1;
      ctx.stroke(borders[key]);
    });
    if (match && !$("cg-only").checked) {
      ctx.strokeStyle = "#f59e0b"; ctx.lineWidth = 3;
      var ring = new Path2D();
      for (var m = 0; m < N; m++) {
        if (!match[m] || !shown[m]) continue;
        var mx = sx(m), my = sy(m), mr = sr(m) + 3;
        if (mx + mr < 0 || mx - mr > W || my + mr < 0 || my - mr > H) continue;
        ring.moveTo(mx + mr, my); ring.arc(mx, my, mr, 0, 2 * Math.PI);
      }
      ctx.stroke(ring);
    }
    if (selected >= 0 && shown[selected]) {
      var p = new Path2D(), r0 = sr(selected) + 2;
      shapePath(p, selected, sx(selected), sy(selected), r0);
      ctx.fillStyle = "#facc15"; ctx.fill(p);
      ctx.strokeStyle = "#000"; ctx.lineWidth = 2.5; ctx.stroke(p);
    }
  }

  function drawLabels(grid) {
    var budget = lineage ? 600 : 350, placed = 0;
    ctx.lineJoin = "round";
    var first = [];
    if (selected >= 0) first.push(selected);
    if (selected >= 0 && OUT.start[selected + 1] - OUT.start[selected] + IN.start[selected + 1] - IN.start[selected] <= 60) {
      // a few neighbours are named first; a document cited everywhere leaves the ranking as it is
      for (var p = OUT.start[selected]; p < OUT.start[selected + 1]; p++) first.push(eTo[OUT.list[p]]);
      for (p = IN.start[selected]; p < IN.start[selected + 1]; p++) first.push(eFrom[IN.list[p]]);
    }
    if (match && nMatch <= 400) for (var m = 0; m < N; m++) if (match[m]) first.push(m);
    if (lineage && lineage.root >= 0) first.unshift(lineage.root);
    var seen = new Uint8Array(N);
    var ranked = 0;
    function tryLabel(i, always) {
      if (seen[i] || !shown[i]) return;
      seen[i] = 1;
      var x = sx(i), y = sy(i);
      if (x < -50 || x > W + 50 || y < -20 || y > H + 20) return;
      // Labels by importance and zoom: the most cited on screen always, the others once their
      // node is drawn big enough to be told apart (zooming in brings more of them).
      if (!always && ranked++ >= TOP_LABELS && R[i] * view.s < LABEL_RADIUS) return;
      var bold = i === selected || (lineage && i === lineage.root);
      ctx.font = bold ? FONT_B : FONT;
      var w = bold ? ctx.measureText(nodes[i].label).width : labelW[i];
      if (w < 0) { w = labelW[i] = ctx.measureText(nodes[i].label).width; }
      var r = sr(i), rect = null;
      // Below the node, else above it.
      var spots = [y + r + 1, y - r - 16];
      for (var k = 0; k < spots.length && !rect; k++) {
        var c = {x: x - w / 2 - 2, y: spots[k], w: w + 4, h: 15};
        if (c.x >= 0 && c.x + c.w <= W && c.y >= 0 && c.y + c.h <= H && grid.free(c)) rect = c;
      }
      if (!rect) return;
      grid.add(rect);
      placed++;
      ctx.lineWidth = 3; ctx.strokeStyle = "rgba(255,255,255,0.9)";
      ctx.strokeText(nodes[i].label, x - w / 2, rect.y + 11);
      ctx.fillStyle = "#111827";
      ctx.fillText(nodes[i].label, x - w / 2, rect.y + 11);
      placedLabels.push({x: rect.x, y: rect.y, w: rect.w, h: rect.h, node: i, size: 12});
    }
    for (var a = 0; a < first.length && placed < budget; a++) tryLabel(first[a], true);
    for (var q = 0; q < N && placed < budget; q++) tryLabel(prio[q], !!lineage);
  }

  // ------------------------------------------------------------------ hit testing, tooltip
  function nodeAt(mx, my) {
    var best = -1, bd = Infinity;
    for (var i = 0; i < N; i++) {
      if (!shown[i]) continue;
      var dx = sx(i) - mx, dy = sy(i) - my, r = sr(i) + 3, d = dx * dx + dy * dy;
      if (d <= r * r && d < bd) { bd = d; best = i; }
    }
    return best;
  }
  function edgeAt(mx, my) {
    if (moving) return -1;
    var best = -1, bd = 16;
    for (var k = 0; k < nVedges; k++) {
      var e = vedges[k], x1 = sx(eFrom[e]), y1 = sy(eFrom[e]), x2 = sx(eTo[e]), y2 = sy(eTo[e]);
      if ((mx < Math.min(x1, x2) - 4) || (mx > Math.max(x1, x2) + 4) || (my < Math.min(y1, y2) - 4) || (my > Math.max(y1, y2) + 4)) continue;
      var dx = x2 - x1, dy = y2 - y1, l2 = dx * dx + dy * dy;
      var u = l2 ? Math.max(0, Math.min(1, ((mx - x1) * dx + (my - y1) * dy) / l2)) : 0;
      var px = x1 + u * dx - mx, py = y1 + u * dy - my, d = px * px + py * py;
      if (d < bd) { bd = d; best = e; }
    }
    return best;
  }
  function info(i) { return nodes[i].info || {}; }
  function fullLabel(i) { return info(i).full || nodes[i].label; }
  var FIELDS = [["type", "f_type"], ["symbol", "symbol"], ["name", "name"], ["date", "date"], ["issuer", "f_issuer"],
    ["jurisdiction", "jurisdiction"], ["term", "term"]];
  function fieldValue(i, key) {
    var n = nodes[i], inf = info(i);
    if (key === "type") return n.type >= 0 ? data.types[n.type].name : "";
    if (key === "issuer") return n.issuer >= 0 ? data.issuers[n.issuer].name : "";
    if (key === "date") return fmtDate(inf.date);
    if (key === "jurisdiction") return inf.jurisdiction === "central" ? t("level_central") : inf.jurisdiction;
    return inf[key] || "";
  }
  function citing(i, limit) {
    var out = [], seen = {};
    for (var p = IN.start[i]; p < IN.start[i + 1]; p++) {
      var e = IN.list[p], s = data.edges[e][3];
      if (s < 0) continue;
      var key = s + "|" + data.edges[e][4];
      if (seen[key]) continue;
      seen[key] = true;
      out.push({sentence: data.sentences[s], source: data.edges[e][4] >= 0 ? data.sources[data.edges[e][4]] : "",
        rel: REL[eRel[e]], from: eFrom[e]});
    }
    (info(i).mentions || []).forEach(function (s) { out.push({sentence: s, source: "", rel: ""}); });
    return {list: out.slice(0, limit), total: out.length};
  }
  function nodeTip(i) {
    var d = el("div");
    d.appendChild(el("div", fullLabel(i), "cg-tip-title"));
    FIELDS.forEach(function (fd) {
      var v = fieldValue(i, fd[0]);
      if (v) d.appendChild(el("div", t(fd[1]) + ": " + v));
    });
    d.appendChild(el("div", t("cited_by") + ": " + num(nodes[i].cited)));
    var cand = info(i).candidates || [];
    if (cand.length) d.appendChild(el("div", t("uncertain", {n: cand.length})));
    var c = citing(i, 3);
    c.list.forEach(function (s) { var q = el("blockquote", s.sentence); d.appendChild(q); });
    if (c.total > c.list.length) d.appendChild(el("div", t("more_sentences", {n: num(c.total - c.list.length)})));
    return d;
  }
  function edgeTip(e) {
    var d = el("div"), row = data.edges[e];
    var cue = row[5] >= 0 ? data.cues[row[5]] : "";
    d.appendChild(el("div", nodes[eFrom[e]].label + " → " + nodes[eTo[e]].label, "cg-tip-title"));
    d.appendChild(el("div", relName(REL[eRel[e]]) + (cue ? " (“" + cue + "”)" : "")));
    if (row[4] >= 0) d.appendChild(el("div", t("stated_in", {source: data.sources[row[4]]})));
    if (row[3] >= 0) d.appendChild(el("blockquote", data.sentences[row[3]]));
    return d;
  }
  var tip = $("cg-tip"), tipKey = null;
  function showTip(mx, my) {
    var i = nodeAt(mx, my), key = null, content = null;
    if (i >= 0) { key = "n" + i; }
    else { var e = edgeAt(mx, my); if (e >= 0) key = "e" + e; }
    if (!key) {
      tip.hidden = true; tipKey = null; hoverNode = -1;
      var onTitle = placedLabels.some(function (l) {
        return l.frame !== undefined && data.frames[l.frame].kind === "province" && mx >= l.x && mx <= l.x + l.w && my >= l.y && my <= l.y + l.h;
      });
      canvas.style.cursor = onTitle ? "pointer" : "";
      canvas.title = onTitle ? t("title_click") : "";
      return;
    }
    canvas.title = "";
    canvas.style.cursor = "pointer";
    if (key !== tipKey) {
      content = key[0] === "n" ? nodeTip(i) : edgeTip(+key.slice(1));
      tip.textContent = "";
      tip.appendChild(content);
      tipKey = key;
    }
    tip.hidden = false;
    var tw = tip.offsetWidth, th = tip.offsetHeight;
    var x = mx + 14, y = my + 14;
    if (x + tw > W - 4) x = Math.max(4, mx - tw - 14);
    if (y + th > H - 4) y = Math.max(4, my - th - 14);
    tip.style.left = x + "px"; tip.style.top = y + "px";
  }

  // ------------------------------------------------------------------ details
  function details(i) {
    var box = $("cg-details");
    box.textContent = "";
    box.hidden = i < 0;
    if (i < 0) return;
    var close = el("button", "×", "cg-close");
    close.type = "button";
    close.title = t("close");
    close.addEventListener("click", function () { selected = -1; details(-1); draw(); });
    box.appendChild(close);
    var n = nodes[i], inf = info(i);
    box.appendChild(el("h3", fullLabel(i)));
    var row = el("div", null, "cg-row");
    var b = el("button", t("show_lineage"), "cg-small");
    b.type = "button";
    b.addEventListener("click", function () { showLineage(i); });
    row.appendChild(b);
    if (n.province >= 0) {
      var b2 = el("button", t("only_province", {province: data.provinces[n.province].name}), "cg-small");
      b2.type = "button";
      b2.addEventListener("click", function () { setFilter("province", n.province); });
      row.appendChild(b2);
    }
    box.appendChild(row);
    var dl = el("dl");
    function add(k, v) { if (v !== "" && v !== undefined && v !== null) { dl.appendChild(el("dt", k)); dl.appendChild(el("dd", v)); } }
    FIELDS.forEach(function (fd) { add(t(fd[1]), fieldValue(i, fd[0])); });
    if (inf.title) add(t("title"), inf.title);
    add(t("f_level"), t("level_" + n.level));
    add(t("cited_by"), num(n.cited));
    add(t("cites_n"), num(OUT.start[i + 1] - OUT.start[i]));
    if (inf.sources && inf.sources.length) add(t("corpus_files"), inf.sources.map(function (s) { return data.sources[s]; }).join(", "));
    if (inf.candidates && inf.candidates.length) add(t("candidates"), inf.candidates.join(" | "));
    add(t("identity"), inf.iri);
    box.appendChild(dl);
    var c = citing(i, 5);
    if (c.list.length) box.appendChild(el("b", t("cited_in")));
    c.list.forEach(function (s) {
      box.appendChild(el("blockquote", s.sentence));
      if (s.source) box.appendChild(el("div", "— " + s.source + (s.rel ? " (" + relName(s.rel) + ")" : ""), "cg-count"));
    });
    if (c.total > c.list.length) box.appendChild(el("div", t("more_sentences", {n: num(c.total - c.list.length)}), "cg-count"));
  }

  // ------------------------------------------------------------------ apply, status
  function status() {
    var parts = [];
    if (lineage) parts.push(lineage.titleOf());
    if (match) parts.push(t("matches", {n: num(nMatch)}));
    parts.push(t("status", {shown: num(nShown), total: num(N), edges: num(nVedges)}));
    if (RELIX.cites !== undefined && !f.rel.cites) parts.push(t("cites_hidden", {n: num(relCount[RELIX.cites])}));
    $("cg-status").textContent = parts.join(" · ");
  }
  function apply(refit) {
    var t0 = performance.now();
    computeVisible();
    if (refit) fit();
    draw();
    status();
    if (currentTab === "matrix") renderMatrix();
    timings.lastApply = performance.now() - t0;
    return timings.lastApply;
  }

  // ------------------------------------------------------------------ filters UI
  function fillSelect(sel, items, current, order) {
    sel.textContent = "";
    var all = el("option", t("all", {n: num(items.length)}));
    all.value = "-1";
    sel.appendChild(all);
    order.forEach(function (ix) {
      var o = el("option", items[ix].name + " (" + num(items[ix].count) + ")");
      o.value = String(ix);
      if (ix === current) o.selected = true;
      sel.appendChild(o);
    });
  }
  function orderBy(items, byCount) {
    var ix = items.map(function (_, i) { return i; });
    if (byCount) ix.sort(function (a, b) { return items[b].count - items[a].count || (items[a].name < items[b].name ? -1 : 1); });
    return ix;
  }
  function relSwatch(r) {
    var st = data.relation_styles[r], ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", "30"); svg.setAttribute("height", "10");
    var line = document.createElementNS(ns, "line");
    line.setAttribute("x1", "0"); line.setAttribute("y1", "5"); line.setAttribute("x2", "22"); line.setAttribute("y2", "5");
    line.setAttribute("stroke", st[0]); line.setAttribute("stroke-width", String(st[2] + 0.6));
    if (st[1]) line.setAttribute("stroke-dasharray", st[1].join(" "));
    var head = document.createElementNS(ns, "polygon");
    head.setAttribute("points", "22,1 30,5 22,9"); head.setAttribute("fill", st[0]);
    svg.appendChild(line); svg.appendChild(head);
    return svg;
  }
  function checkbox(parent, name, value, text, checked, extra) {
    var lab = el("label");
    var cb = document.createElement("input");
    cb.type = "checkbox"; cb.checked = checked;
    cb.setAttribute("data-filter", name); cb.setAttribute("data-value", value);
    cb.addEventListener("change", function () { setFilter(name, value, cb.checked); });
    lab.appendChild(cb);
    if (extra) lab.appendChild(extra);
    lab.appendChild(el("span", text));
    parent.appendChild(lab);
  }
  function buildFilters() {
    fillSelect($("cg-f-province"), data.provinces, f.province, orderBy(data.provinces, false));
    fillSelect($("cg-f-issuer"), data.issuers, f.issuer, orderBy(data.issuers, true));
    fillSelect($("cg-f-type"), data.types, f.type, orderBy(data.types, true));
    var fs = $("cg-f-system"); fs.textContent = "";
    SYS.forEach(function (s) {
      var n = 0; for (var i = 0; i < N; i++) if (SYS[nSystem[i]] === s) n++;
      if (n) checkbox(fs, "system", s, t("system_" + s) + " (" + num(n) + ")", f.system[s]);
    });
    var fl = $("cg-f-level"); fl.textContent = "";
    data.levels.forEach(function (lv) {
      var n = 0; for (var i = 0; i < N; i++) if (nodes[i].level === lv) n++;
      if (n) checkbox(fl, "level", lv, t("level_" + lv) + " (" + num(n) + ")", f.level[lv]);
    });
    var fr = $("cg-f-rel"); fr.textContent = "";
    REL.forEach(function (r) {
      checkbox(fr, "rel", r, relName(r) + " (" + num(relCount[RELIX[r]]) + ")", f.rel[r], relSwatch(r));
    });
  }
  function legend() {
    var box = $("cg-legend-body");
    box.textContent = "";
    var sec = el("div", null, "cg-legend-section");
    sec.appendChild(el("b", t("legend_colour")));
    SYS.forEach(function (s) {
      var types = data.palette.filter(function (p) { return p.system === s; });
      if (!types.length) return;
      var head = el("div");
      var sw = el("span", null, "cg-swatch");
      sw.style.border = "2px solid " + data.borders[s];
      head.appendChild(sw); head.appendChild(document.createTextNode(t("system_" + s)));
      sec.appendChild(head);
      var row = el("div", null, "cg-types");
      types.forEach(function (p) {
        var it = el("span", null, "cg-type"), c = el("span", null, "cg-swatch");
        c.style.background = p.color;
        it.appendChild(c); it.appendChild(document.createTextNode(p.code === "?" ? t("no_type") : p.code));
        row.appendChild(it);
      });
      sec.appendChild(row);
    });
    box.appendChild(sec);
    var sh = el("div", null, "cg-legend-section");
    sh.appendChild(el("b", t("legend_shape")));
    ["shape_corpus", "shape_named", "shape_cited", "shape_size", "legend_edges"].forEach(function (k) { sh.appendChild(el("div", t(k))); });
    box.appendChild(sh);
  }
  function translate() {
    document.documentElement.lang = lang;
    Array.prototype.forEach.call(document.querySelectorAll("[data-t]"), function (e) { e.textContent = t(e.getAttribute("data-t")); });
    var title = opts.title || t("title_default", {nodes: num(N), edges: num(E)});
    $("cg-title").textContent = title;
    document.title = title;
    $("cg-search").placeholder = t("search_placeholder");
    $("cg-search").setAttribute("aria-label", t("search_placeholder"));
    $("cg-lang").textContent = t("other_language");
    $("cg-lang").title = t("other_language_title");
    var z = {"in": "zoom_in", "out": "zoom_out", "fit": "zoom_fit"};
    Array.prototype.forEach.call(document.querySelectorAll("#cg-zoom button"), function (b) { b.title = t(z[b.getAttribute("data-zoom")]); });
    buildFilters();
    legend();
    details(selected);
    banner();
  }

  // ------------------------------------------------------------------ filters and search API
  function setFilter(name, value, on) {
    var t0 = performance.now();
    if (name === "province" || name === "issuer" || name === "type") {
      var items = data[name === "province" ? "provinces" : name === "issuer" ? "issuers" : "types"];
      var ix = typeof value === "number" ? value : -1;
      if (typeof value === "string") items.forEach(function (it, k) { if (it.name === value) ix = k; });
      if (value === null || value === undefined) ix = -1;
      f[name] = ix;
      $("cg-f-" + name).value = String(ix);
    } else if (name === "system" || name === "level" || name === "rel") {
      f[name][value] = !!on;
      var box = document.querySelector('input[data-filter="' + name + '"][data-value="' + value + '"]');
      if (box) box.checked = !!on;
    } else throw new Error("unknown filter " + name);
    if (lineage && name !== "rel") exitLineage(true);
    apply(name !== "rel");
    timings.lastFilter = performance.now() - t0;
    return timings.lastFilter;
  }
  var folded = null;
  function buildFolded() {
    if (folded) return;
    folded = new Array(N);
    for (var i = 0; i < N; i++) folded[i] = fold(searchText(i));
  }
  function searchText(i) {
    var n = nodes[i], inf = info(i);
    return [n.label, inf.full, inf.symbol, inf.name, inf.title, inf.jurisdiction, inf.iri, inf.date,
      n.type >= 0 ? data.types[n.type].name : "", n.issuer >= 0 ? data.issuers[n.issuer].name : "",
      n.province >= 0 ? data.provinces[n.province].name : ""].join(" | ");
  }
  function search(q) {
    var t0 = performance.now();
    if ($("cg-search").value !== q) $("cg-search").value = q;
    query = q = fold(q).trim();
    if (!q) {
      match = null; nMatch = 0;
      apply(true);
      timings.lastSearch = performance.now() - t0;
      return [];
    }
    buildFolded();
    match = new Uint8Array(N); nMatch = 0;
    var ids = [];
    for (var j = 0; j < N; j++) if (folded[j].indexOf(q) >= 0) { match[j] = 1; nMatch++; ids.push(j); }
    if (lineage) exitLineage(true);
    computeVisible();
    var shownMatches = ids.filter(function (id) { return shown[id]; });
    if (shownMatches.length === 1) { selected = shownMatches[0]; details(selected); }
    if (shownMatches.length && !compact) fitTo(shownMatches); else fit();
    draw(); status();
    if (currentTab === "matrix") renderMatrix();
    timings.lastSearch = performance.now() - t0;
    return ids;
  }
  function fitTo(ids) {
    // The matches and some room around them: a lone match is shown among its neighbours, readable.
    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity, pad = 400;
    ids.forEach(function (i) { x0 = Math.min(x0, PX[i]); x1 = Math.max(x1, PX[i]); y0 = Math.min(y0, PY[i]); y1 = Math.max(y1, PY[i]); });
    var s = Math.min((W - 48) / (x1 - x0 + 2 * pad), (H - 48) / (y1 - y0 + 2 * pad), 1.2);
    view = {s: s, tx: W / 2 - ((x0 + x1) / 2) * s, ty: H / 2 - ((y0 + y1) / 2) * s};
  }

  // ------------------------------------------------------------------ lineage
  function walk(start, forward, relOk, into) {
    var adj = forward ? OUT : IN, other = forward ? eTo : eFrom;
    var stack = [start];
    into[start] = 1;
    while (stack.length) {
      var v = stack.pop();
      for (var p = adj.start[v]; p < adj.start[v + 1]; p++) {
        var e = adj.list[p];
        if (!relOk(REL[eRel[e]])) continue;
        var w = other[e];
        if (!into[w]) { into[w] = 1; stack.push(w); }
      }
    }
    return into;
  }
  function lineageMembers(i) {
    var relOk = function (r) { return f.rel[r]; };
    var up = walk(i, true, relOk, new Uint8Array(N)), down = walk(i, false, relOk, new Uint8Array(N));
    var out = [];
    for (var k = 0; k < N; k++) if (up[k] || down[k]) out.push(k);
    if (out.length === 1 && RELIX.cites !== undefined && !f.rel.cites) {
      // Nothing typed around it: follow its citations too, rather than show a lone document.
      relOk = function () { return true; };
      up = walk(i, true, relOk, new Uint8Array(N)); down = walk(i, false, relOk, new Uint8Array(N));
      out = [];
      for (k = 0; k < N; k++) if (up[k] || down[k]) out.push(k);
    }
    return out;
  }
  function lineageOf(i) {
    var o = {};
    lineageMembers(i).forEach(function (k) { o[k] = true; });
    return o;
  }
  function compactLayout(list) {
    // Levels top to bottom; inside a level, ordered by the mean x of the documents it links to in the
    // levels already placed (two sweeps: down, then the top level again by what hangs below it).
    var LX = new Float64Array(N), LY = new Float64Array(N), member = new Uint8Array(N);
    list.forEach(function (i) { member[i] = 1; });
    var groups = data.levels.map(function () { return []; });
    list.forEach(function (i) { groups[nLevel[i]].push(i); });
    var maxRow = Math.max(6, Math.ceil(Math.sqrt(list.length * 2.2)));
    var XG = 170, YG = 130, bands = [];
    function bary(i, placed) {
      var sum = 0, n = 0;
      for (var p = OUT.start[i]; p < OUT.start[i + 1]; p++) { var w = eTo[OUT.list[p]]; if (member[w] && placed[w]) { sum += LX[w]; n++; } }
      for (p = IN.start[i]; p < IN.start[i + 1]; p++) { var u = eFrom[IN.list[p]]; if (member[u] && placed[u]) { sum += LX[u]; n++; } }
      return n ? sum / n : Infinity;
    }
    function byLabel(a, b) { return (nProv[a] - nProv[b]) || (nodes[a].label < nodes[b].label ? -1 : nodes[a].label > nodes[b].label ? 1 : a - b); }
    function sweep(first) {
      var placed = new Uint8Array(N), y = 0;
      bands = [];
      groups.forEach(function (g, gi) {
        if (!g.length) return;
        var key = {};
        g.forEach(function (i) { key[i] = bary(i, placed); });
        if (first !== null && gi === first) {
          var below = {};
          g.forEach(function (i) { below[i] = bary(i, member); });
          g.sort(function (a, b) { return (below[a] - below[b]) || byLabel(a, b); });
        } else g.sort(function (a, b) { return (key[a] - key[b]) || byLabel(a, b); });
        var rows = Math.ceil(g.length / maxRow), per = Math.ceil(g.length / rows);
        g.forEach(function (i, k) {
          var r = Math.floor(k / per), c = k % per, width = Math.min(per, g.length - r * per);
          LX[i] = (c - (width - 1) / 2) * XG + (r % 2 ? XG / 3 : 0);
          LY[i] = y + r * YG;
          placed[i] = 1;
        });
        bands.push({level: data.levels[gi], y: y, x: -((Math.min(per, g.length) - 1) / 2) * XG, n: g.length});
        y += rows * YG + 80;
      });
    }
    sweep(null);
    var top = -1;
    groups.forEach(function (g, gi) { if (top < 0 && g.length) top = gi; });
    if (list.length > 2) sweep(top);
    var x0 = Infinity;
    bands.forEach(function (b) { x0 = Math.min(x0, b.x); });
    bands.forEach(function (b) { b.x = x0; });
    return {LX: LX, LY: LY, member: member, bands: bands};
  }
  function enterLineage(list, root, title) {
    var t0 = performance.now();
    if (!lineage) savedView = {s: view.s, tx: view.tx, ty: view.ty};
    var member = new Uint8Array(N);
    list.forEach(function (i) { member[i] = 1; });
    lineage = {member: member, list: list, root: root, titleOf: title};
    if (root >= 0) selected = root;  // highlighted; its card stays closed so that the lineage has the room
    details(-1);
    switchTab("graph", true);
    apply(true);
    banner();
    timings.lastLineage = performance.now() - t0;
    return list.length;
  }
  function showLineage(i) {
    if (typeof i !== "number" || i < 0 || i >= N) throw new Error("no node " + i);
    var list = lineageMembers(i);
    return enterLineage(list, i, function () { return t("lineage_of", {doc: nodes[i].label, n: num(list.length)}); });
  }
  var cellIndex = {};
  data.matrix.cells.forEach(function (c) { cellIndex[c[0] + "," + c[1]] = c; });
  function showCell(prov, col) {
    if (typeof prov === "string") prov = data.provinces.map(function (p) { return p.name; }).indexOf(prov);
    var c = cellIndex[prov + "," + col];
    if (!c) throw new Error("no cell " + prov + "," + col);
    var list = [col].concat(c[6]);
    return enterLineage(list, col, function () {
      return t("lineage_cell", {doc: nodes[col].label, province: data.provinces[prov].name, n: num(c[2])});
    });
  }
  function exitLineage(quiet) {
    if (!lineage) return;
    lineage = null;
    banner();
    if (!quiet) {
      computeVisible();
      if (savedView) view = savedView; else fit();
      draw(); status();
    }
  }
  function banner() {
    var b = $("cg-banner");
    b.textContent = "";
    if (!lineage) { b.hidden = true; return; }
    b.appendChild(el("span", lineage.titleOf()));
    var x = el("button", t("exit_lineage"), "cg-small");
    x.type = "button";
    x.addEventListener("click", function () { exitLineage(false); $("cg-lineage").checked = false; });
    b.appendChild(x);
    b.hidden = false;
  }

  // ------------------------------------------------------------------ provinces x central documents
  var colLimit = 40;
  var SCALE = [[1, "#dcfce7", "#14532d"], [2, "#86efac", "#14532d"], [4, "#22c55e", "#052e16"], [10, "#15803d", "#ffffff"]];
  function cellColour(n) { var c = SCALE[0]; SCALE.forEach(function (s) { if (n >= s[0]) c = s; }); return c; }
  function renderMatrix() {
    var t0 = performance.now();
    var box = $("cg-matrix");
    box.textContent = "";
    var cols = data.matrix.cols.filter(function (c) {
      if (!nodePasses(c) && !(f.province >= 0 && f.system[SYS[nSystem[c]]])) return false;
      if (match && $("cg-only").checked && !match[c]) return false;
      return true;
    });
    var rows = [];
    data.provinces.forEach(function (p, r) { if (f.province < 0 || f.province === r) rows.push(r); });
    box.appendChild(el("p", t("matrix_intro")));
    if (!data.matrix.cols.length) { box.appendChild(el("p", t("matrix_empty"), "cg-hint")); timings.matrix = performance.now() - t0; return; }
    var head = el("div", null, "cg-row");
    SCALE.forEach(function (s, k) {
      var it = el("span", null, "cg-scale"), sw = el("i");
      sw.style.background = s[1];
      it.appendChild(sw);
      it.appendChild(document.createTextNode(k + 1 < SCALE.length ? (s[0] === SCALE[k + 1][0] - 1 ? String(s[0]) : s[0] + "–" + (SCALE[k + 1][0] - 1)) : "≥ " + s[0]));
      head.appendChild(it);
    });
    head.appendChild(el("span", t("matrix_scale")));
    box.appendChild(head);
    var shownCols = cols.slice(0, colLimit);
    var info2 = el("div", null, "cg-row");
    info2.appendChild(el("span", t("matrix_count", {shown: num(shownCols.length), total: num(cols.length), rows: num(rows.length)})));
    if (cols.length > shownCols.length) {
      var more = el("button", t("matrix_more", {n: num(Math.min(40, cols.length - shownCols.length))}), "cg-small");
      more.type = "button";
      more.addEventListener("click", function () { colLimit += 40; renderMatrix(); });
      info2.appendChild(more);
    }
    box.appendChild(info2);
    var table = el("table", null, "cg-mtable");
    var thead = el("thead"), tr = el("tr");
    tr.appendChild(el("th", t("matrix_corner"), "cg-corner"));
    shownCols.forEach(function (c) {
      var th = el("th"), d = el("div", midShort(fullLabel(c), 28), "cg-col");
      var typ = nodes[c].type >= 0 ? data.types[nodes[c].type].name : "";
      th.title = [fullLabel(c), typ, fmtDate(info(c).date), nodes[c].issuer >= 0 ? data.issuers[nodes[c].issuer].name : ""]
        .filter(Boolean).join(" · ") + "\n" + t("matrix_col_hint");
      d.setAttribute("data-col", String(c));
      th.appendChild(d); tr.appendChild(th);
    });
    thead.appendChild(tr); table.appendChild(thead);
    var tbody = el("tbody");
    var colSet = {}; cols.forEach(function (c) { colSet[c] = true; });
    var colTotals = {};
    rows.forEach(function (r) {
      var row = el("tr"), th = el("th"), covered = 0;
      cols.forEach(function (c) { if (cellIndex[r + "," + c]) covered++; });
      th.appendChild(document.createTextNode(data.provinces[r].name));
      th.appendChild(el("span", "(" + num(covered) + ")", "cg-count"));
      th.title = t("matrix_row_hint");
      th.setAttribute("data-row", String(r));
      row.appendChild(th);
      shownCols.forEach(function (c) {
        var cell = cellIndex[r + "," + c], td = el("td");
        if (cell) {
          var sc = cellColour(cell[2]);
          td.style.background = sc[1]; td.style.color = sc[2];
          td.textContent = cell[3] ? cell[3].slice(0, 4) : "✓";
          td.className = "cg-hit";
          td.setAttribute("data-row", String(r)); td.setAttribute("data-col", String(c));
          td.title = t("matrix_cell", {province: data.provinces[r].name, doc: nodes[c].label, n: num(cell[2]),
            date: fmtDate(cell[3]) || "?", first: cell[4] >= 0 ? nodes[cell[4]].label : "?"});
          colTotals[c] = (colTotals[c] || 0) + 1;
        }
        row.appendChild(td);
      });
      tbody.appendChild(row);
    });
    table.appendChild(tbody);
    var tfoot = el("tfoot"), fr = el("tr");
    fr.appendChild(el("th", t("matrix_total")));
    shownCols.forEach(function (c) { fr.appendChild(el("td", colTotals[c] ? String(colTotals[c]) : "")); });
    tfoot.appendChild(fr); table.appendChild(tfoot);
    table.addEventListener("click", function (ev) {
      var target = ev.target.closest ? ev.target.closest("[data-row],[data-col]") : null;
      if (!target) return;
      var r = target.getAttribute("data-row"), c = target.getAttribute("data-col");
      if (r !== null && c !== null) showCell(+r, +c);
      else if (c !== null) showLineage(+c);
      else if (r !== null) { switchTab("graph", true); setFilter("province", +r); }
    });
    box.appendChild(table);
    timings.matrix = performance.now() - t0;
  }
  function switchTab(name, quiet) {
    currentTab = name;
    Array.prototype.forEach.call(document.querySelectorAll("#cg-tabs button"), function (b) {
      b.classList.toggle("cg-on", b.getAttribute("data-view") === name);
    });
    $("cg-stage").style.display = name === "graph" ? "" : "none";
    $("cg-matrix").hidden = name !== "matrix";
    if (name === "matrix") renderMatrix();
    else if (!quiet) { resize(); draw(); }
  }

  // ------------------------------------------------------------------ events
  var drag = null;
  canvas.addEventListener("pointerdown", function (ev) {
    if (ev.button !== 0) return;
    drag = {x: ev.clientX, y: ev.clientY, tx: view.tx, ty: view.ty, moved: false};
    canvas.setPointerCapture(ev.pointerId);
  });
  canvas.addEventListener("pointermove", function (ev) {
    var r = canvas.getBoundingClientRect(), mx = ev.clientX - r.left, my = ev.clientY - r.top;
    if (drag) {
      var dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
      if (!drag.moved && dx * dx + dy * dy < 16) return;
      drag.moved = true;
      canvas.classList.add("cg-dragging");
      tip.hidden = true;
      view.tx = drag.tx + dx; view.ty = drag.ty + dy;
      setMoving(); requestDraw();
      return;
    }
    showTip(mx, my);
  });
  canvas.addEventListener("pointerup", function (ev) {
    var r = canvas.getBoundingClientRect(), d = drag;
    drag = null;
    canvas.classList.remove("cg-dragging");
    if (!d || d.moved) return;
    var mx = ev.clientX - r.left, my = ev.clientY - r.top, i = nodeAt(mx, my);
    if (i < 0) {
      // A province's title filters the graph to that province.
      var hit = placedLabels.filter(function (l) {
        return l.frame !== undefined && mx >= l.x && mx <= l.x + l.w && my >= l.y && my <= l.y + l.h;
      })[0];
      var fr = hit ? data.frames[hit.frame] : null;
      if (fr && fr.kind === "province" && fr.name) {
        setFilter("province", data.provinces.map(function (p) { return p.name; }).indexOf(fr.name));
        return;
      }
    }
    clickNode(i);
  });
  canvas.addEventListener("pointerleave", function () { tip.hidden = true; tipKey = null; });
  canvas.addEventListener("dblclick", function (ev) {
    var r = canvas.getBoundingClientRect(), i = nodeAt(ev.clientX - r.left, ev.clientY - r.top);
    if (i >= 0) showLineage(i);
  });
  canvas.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    var r = canvas.getBoundingClientRect();
    var dy = ev.deltaMode === 1 ? ev.deltaY * 16 : ev.deltaY;
    zoomAt(ev.clientX - r.left, ev.clientY - r.top, Math.exp(-dy * 0.0015));
    tip.hidden = true;
    setMoving(); requestDraw();
  }, {passive: false});
  function clickNode(i) {
    selected = i;
    details(i);
    if (i >= 0 && $("cg-lineage").checked) showLineage(i);
    else draw();
  }
  Array.prototype.forEach.call(document.querySelectorAll("#cg-zoom button"), function (b) {
    b.addEventListener("click", function () {
      var z = b.getAttribute("data-zoom");
      if (z === "fit") fit(); else zoomAt(W / 2, H / 2, z === "in" ? 1.5 : 1 / 1.5);
      draw();
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll("#cg-tabs button"), function (b) {
    b.addEventListener("click", function () { switchTab(b.getAttribute("data-view")); });
  });
  ["province", "issuer", "type"].forEach(function (name) {
    $("cg-f-" + name).addEventListener("change", function (ev) { setFilter(name, +ev.target.value); });
  });
  var box = $("cg-search"), searchTimer = null;
  box.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { clearTimeout(searchTimer); search(box.value); } });
  box.addEventListener("input", function () {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(function () { search(box.value); }, 300);
  });
  $("cg-only").addEventListener("change", function () { apply(true); });
  $("cg-lineage").addEventListener("change", function (ev) {
    if (!ev.target.checked) exitLineage(false);
    else if (selected >= 0) showLineage(selected);
  });
  $("cg-reset").addEventListener("click", reset);
  function reset() {
    lineage = null; match = null; nMatch = 0; selected = -1; box.value = "";
    f.province = f.issuer = f.type = -1;
    SYS.forEach(function (s) { f.system[s] = true; });
    data.levels.forEach(function (lv) { f.level[lv] = true; });
    REL.forEach(function (r) { f.rel[r] = !(r === "cites" && opts.cites_hidden); });
    $("cg-lineage").checked = false;
    buildFilters(); banner(); details(-1);
    apply(true);
  }
  $("cg-lang").addEventListener("click", function () { setLang(lang === "vi" ? "en" : "vi"); });
  function setLang(l) {
    if (!STR[l]) throw new Error("no language " + l);
    lang = l;
    translate();
    status();
    if (currentTab === "matrix") renderMatrix(); else draw();
  }
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape" && lineage) { exitLineage(false); $("cg-lineage").checked = false; }
  });
  if (window.ResizeObserver) {
    new ResizeObserver(function () {
      if (currentTab !== "graph") return;
      var r = stage.getBoundingClientRect();
      if (Math.abs(r.width - W) < 1 && Math.abs(r.height - H) < 1) return;
      var first = W <= 1;
      resize();
      if (first) fit();
      draw();
    }).observe(stage);
  }

  // ------------------------------------------------------------------ start
  var state = {
    data: data, ready: false, firstDrawMs: null, timings: timings,
    search: search, setFilter: setFilter, lineageOf: lineageOf, showLineage: showLineage, showCell: showCell,
    exitLineage: function () { exitLineage(false); }, setView: switchTab, setLang: setLang, reset: reset,
    fit: function () { fit(); draw(); },
    zoom: function (factor) { zoomAt(W / 2, H / 2, factor); draw(); return view.s; },
    select: function (i) { clickNode(i); },
    focus: function (ids) { if (ids.length) { fitTo(ids); draw(); } return view.s; },
    nodeScreen: function (i) {
      var r = canvas.getBoundingClientRect();
      return [sx(i) + r.left, sy(i) + r.top];
    },
    stats: function () {
      var shownIds = [];
      for (var i = 0; i < N; i++) if (shown[i]) shownIds.push(i);
      return {nodes: nShown, edges: nVedges, shown: shownIds, labels: placedLabels.slice(), scale: view.s,
        lineage: lineage ? lineage.list.length : 0, tab: currentTab, lang: lang, citesShown: !!f.rel.cites,
        width: W, height: H};
    }
  };
  window.citegraph = state;
  translate();
  resize();
  computeVisible();
  if (opts.lineage !== null && opts.lineage !== undefined) showLineage(opts.lineage);
  else { fit(); draw(); }
  status();
  details(selected);
  switchTab(opts.view === "matrix" ? "matrix" : "graph", true);
  state.firstDrawMs = performance.now();
  timings.firstDraw = state.firstDrawMs;
  state.ready = true;
  document.body.setAttribute("data-cg-ready", "1");
  setTimeout(buildFolded, 30);  // the search index, once the first drawing is on screen
})();
