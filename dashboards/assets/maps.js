// Commune maps (dashboards/components/maps.py), in the browser:
// - fit each map to its communes whatever the size of its box (plotly's map has no "fit bounds");
// - on the wall, number the worst communes in HTML at the points of the figure's "labels" trace
//   (text on a MapLibre map needs glyphs from the internet; operations rooms often have none).
(function () {
  function subplot(gd) {
    return gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
  }

  function fit(gd, sub) {
    var bounds = gd.layout && gd.layout.meta && gd.layout.meta.fit;
    if (!bounds) { return false; }
    var rect = gd.getBoundingClientRect();
    var key = JSON.stringify([bounds, Math.round(rect.width), Math.round(rect.height)]);
    if (gd.dataset.fitted === key) { return false; }
    gd.dataset.fitted = key;
    sub.map.resize();
    sub.map.fitBounds([[bounds[0], bounds[1]], [bounds[2], bounds[3]]], {padding: 8, animate: false});
    return true;
  }

  function label(gd, sub) {
    var layer = gd.parentElement && gd.parentElement.parentElement &&
      gd.closest('.wall-map-canvas') && gd.closest('.wall-map-canvas').querySelector('.wall-map-labels');
    var trace = (gd.data || []).find(function (t) { return t.name === 'labels'; });
    if (!layer || !trace) { return; }
    var centre = sub.map.getCenter();
    var key = JSON.stringify([trace.lon, trace.lat, sub.map.getZoom(), centre.lng, centre.lat]);
    if (layer.dataset.key === key) { return; }
    layer.dataset.key = key;
    layer.textContent = '';
    var offset = gd.getBoundingClientRect(), own = layer.getBoundingClientRect();
    trace.lon.forEach(function (lon, i) {
      var p = sub.map.project([lon, trace.lat[i]]);
      var badge = document.createElement('div');
      badge.className = 'wall-map-label';
      badge.textContent = String(i + 1);
      badge.style.left = (p.x + offset.left - own.left) + 'px';
      badge.style.top = (p.y + offset.top - own.top) + 'px';
      layer.appendChild(badge);
    });
  }

  setInterval(function () {
    document.querySelectorAll('.commune-map .js-plotly-plot').forEach(function (gd) {
      var sub = subplot(gd);
      if (!sub || !sub.map || !sub.map.loaded()) { return; }
      fit(gd, sub);
      label(gd, sub);
    });
  }, 400);
})();
