/* The maps of the cadastres (ADR 0038): Leaflet draws what /karten/…json delivers,
   clusters as numbered circles and single assets as dots with a popup. An enhancement:
   every page with a map keeps a list or form fields that work without it.

   <div data-map data-map-points="/karten/trees.json" [data-map-pick="point|area"]
        [data-map-detail="/baeume/{number}/"] data-map-text-…="…">
   data-map-ready="1" and data-map-ready-ms (performance.now()) are set once the first
   points are drawn. No inline styles: Leaflet sets its styles through the CSSOM, which
   the Content Security Policy allows. */
(function () {
  "use strict";

  var DEBOUNCE_MS = 150;

  function text(el, name, fallback) {
    return el.getAttribute("data-map-text-" + name) || fallback;
  }

  function labelsOf(el) {
    var labels = {};
    var block = el.closest(".map-block");
    var template = (block && block.parentNode || document).querySelector("template[data-map-labels]");
    if (template && template.content) {
      template.content.querySelectorAll("[data-key]").forEach(function (span) {
        labels[span.getAttribute("data-key")] = span.textContent;
      });
    }
    return labels;
  }

  function withQuery(url, params) {
    var parts = [];
    Object.keys(params).forEach(function (key) {
      parts.push(encodeURIComponent(key) + "=" + encodeURIComponent(params[key]));
    });
    return url + (url.indexOf("?") >= 0 ? "&" : "?") + parts.join("&");
  }

  function fetchJson(url, signal) {
    return fetch(url, {credentials: "same-origin", signal: signal,
                       headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      });
  }

  function element(tag, className, content) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (content !== undefined && content !== null) { node.textContent = String(content); }
    return node;
  }

  function popupFor(props, labels, detailPattern) {
    var box = element("div", "map-popup");
    var title = props.number || "";
    var name = props.name || props.species || "";
    box.appendChild(element("p", "map-popup__title", name ? title + " – " + name : title));
    if (props.botanical_name) {
      box.appendChild(element("p", "map-popup__botanical", props.botanical_name));
    }
    var list = element("dl", "map-popup__facts");
    Object.keys(labels).forEach(function (key) {
      if (key === "number" || key === "species") { return; }
      var value = props[key];
      if (value === undefined || value === null || value === "") { return; }
      list.appendChild(element("dt", null, labels[key]));
      list.appendChild(element("dd", null, value));
    });
    if (list.childNodes.length) { box.appendChild(list); }
    var url = props.url || (detailPattern && props.number
      ? detailPattern.replace("{number}", encodeURIComponent(props.number)) : "");
    if (url) {
      var link = element("a", "kern-link", labels.details || "Details");
      link.href = url;
      box.appendChild(link);
    }
    return box;
  }

  function formOf(el) {
    return el.closest("form") || document;
  }

  function input(form, name) {
    return form.querySelector('input[name="' + name + '"]');
  }

  function setValue(field, value) {
    if (!field) { return; }
    field.value = value;
    field.dispatchEvent(new Event("change", {bubbles: true}));
  }

  function number(field) {
    if (!field || !field.value) { return null; }
    var value = parseFloat(String(field.value).replace(",", "."));
    return isFinite(value) ? value : null;
  }

  function start(el) {
    if (el.getAttribute("data-map-started")) { return; }
    el.setAttribute("data-map-started", "1");
    var pointsUrl = el.getAttribute("data-map-points");
    var pick = el.getAttribute("data-map-pick") || "";
    var detailPattern = el.getAttribute("data-map-detail") || "";
    var labels = labelsOf(el);
    labels.details = text(el, "details", "Details");
    var block = el.closest(".map-block") || el.parentNode;
    var status = block.querySelector("[data-map-status]");
    var form = formOf(el);

    function say(message) { if (status) { status.textContent = message; } }

    var map = L.map(el, {
      zoomControl: false, boxZoom: pick !== "area", attributionControl: true,
      minZoom: 3, maxZoom: 19,
    });
    L.control.zoom({zoomInTitle: text(el, "zoom-in", "Zoom in"),
                   zoomOutTitle: text(el, "zoom-out", "Zoom out")}).addTo(map);
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    var layer = L.layerGroup().addTo(map);
    var controller = null;
    var timer = null;
    var ready = false;
    var draws = 0;  // data-map-draws: how often the map drew what it loaded (for tests)

    function draw(data) {
      layer.clearLayers();
      (data.features || []).forEach(function (feature) {
        var coords = feature.geometry.coordinates;
        var latlng = L.latLng(coords[1], coords[0]);
        var props = feature.properties || {};
        if (props.cluster) {
          var size = props.count < 100 ? "s" : props.count < 1000 ? "m" : "l";
          var label = text(el, "cluster", "%(count)s").replace("%(count)s", props.count);
          var cluster = L.marker(latlng, {
            icon: L.divIcon({className: "map-cluster map-cluster--" + size,
                             html: "<span>" + Number(props.count) + "</span>",
                             iconSize: size === "s" ? [34, 34] : size === "m" ? [42, 42] : [50, 50]}),
            title: label, keyboard: true, riseOnHover: true,
          });
          cluster.on("click", function () {
            map.setView(latlng, Math.min(map.getZoom() + 2, map.getMaxZoom()));
          });
          cluster.addTo(layer);
        } else {
          var state = props.status === "closed" || props.public_status === "closed" ? " map-point--closed" : "";
          var point = L.marker(latlng, {
            icon: L.divIcon({className: "map-point" + state, iconSize: [16, 16]}),
            title: [props.number, props.name || props.species].filter(Boolean).join(" – "),
            keyboard: true,
          });
          point.bindPopup(function () { return popupFor(props, labels, detailPattern); });
          point.addTo(layer);
        }
      });
      draws += 1;
      el.setAttribute("data-map-draws", String(draws));
      if (!ready) {
        ready = true;
        el.setAttribute("data-map-ready-ms", String(Math.round(performance.now())));
        el.setAttribute("data-map-ready", "1");
      }
    }

    function load() {
      if (controller) { controller.abort(); }
      controller = typeof AbortController === "function" ? new AbortController() : null;
      var bounds = map.getBounds();
      var west = Math.max(-180, bounds.getWest()), east = Math.min(180, bounds.getEast());
      var south = Math.max(-85, bounds.getSouth()), north = Math.min(85, bounds.getNorth());
      var url = withQuery(pointsUrl, {
        bbox: [west, south, east, north].map(function (v) { return v.toFixed(6); }).join(","),
        zoom: map.getZoom(),
      });
      fetchJson(url, controller && controller.signal).then(draw).catch(function (error) {
        if (error && error.name === "AbortError") { return; }
        say(text(el, "error", "The map could not load its data."));
      });
    }

    map.on("moveend", function () {
      clearTimeout(timer);
      timer = setTimeout(load, ready ? DEBOUNCE_MS : 0);
    });

    // --- Choosing a place or an area ----------------------------------------------------
    var marker = null;
    var rectangle = null;
    var corner = null;

    function showPoint(latlng) {
      if (marker) { marker.setLatLng(latlng); } else {
        marker = L.marker(latlng, {
          icon: L.divIcon({className: "map-picked", iconSize: [22, 22]}), keyboard: false,
          interactive: false,
        }).addTo(map);
      }
    }

    function pickPoint(latlng) {
      showPoint(latlng);
      setValue(input(form, "lon"), latlng.lng.toFixed(6));
      setValue(input(form, "lat"), latlng.lat.toFixed(6));
      say(text(el, "picked", ""));
    }

    function showArea(bounds) {
      if (rectangle) { rectangle.setBounds(bounds); } else {
        rectangle = L.rectangle(bounds, {className: "map-area", interactive: false}).addTo(map);
      }
    }

    function pickArea(a, b) {
      var bounds = L.latLngBounds(a, b);
      showArea(bounds);
      setValue(input(form, "west"), bounds.getWest().toFixed(6));
      setValue(input(form, "south"), bounds.getSouth().toFixed(6));
      setValue(input(form, "east"), bounds.getEast().toFixed(6));
      setValue(input(form, "north"), bounds.getNorth().toFixed(6));
      say(text(el, "area", ""));
    }

    if (pick === "point") {
      el.classList.add("map--pick");
      map.on("click", function (event) { pickPoint(event.latlng); });
      if (navigator.geolocation) {
        var button = element("button", "kern-btn kern-btn--secondary map-position",
                             text(el, "position", "My position"));
        button.type = "button";
        button.addEventListener("click", function () {
          navigator.geolocation.getCurrentPosition(function (position) {
            var here = L.latLng(position.coords.latitude, position.coords.longitude);
            map.setView(here, Math.max(map.getZoom(), 17));
            pickPoint(here);
          }, function () { say(text(el, "no-position", "")); },
          {enableHighAccuracy: true, timeout: 15000});
        });
        block.insertBefore(button, el.nextSibling);
      }
    } else if (pick === "area") {
      el.classList.add("map--pick");
      map.on("click", function (event) {
        if (corner) { pickArea(corner, event.latlng); corner = null; } else {
          corner = event.latlng;
          say(text(el, "area-start", ""));
        }
      });
      var dragFrom = null;
      map.on("mousedown", function (event) {
        if (!event.originalEvent.shiftKey) { return; }
        dragFrom = event.latlng;
        map.dragging.disable();
      });
      map.on("mousemove", function (event) {
        if (dragFrom) { showArea(L.latLngBounds(dragFrom, event.latlng)); }
      });
      map.on("mouseup", function (event) {
        if (!dragFrom) { return; }
        var from = dragFrom;
        dragFrom = null;
        map.dragging.enable();
        if (!from.equals(event.latlng)) { pickArea(from, event.latlng); corner = null; }
      });
    }

    // --- The first view -----------------------------------------------------------------
    var lon = number(input(form, "lon")), lat = number(input(form, "lat"));
    var west = number(input(form, "west")), south = number(input(form, "south"));
    var east = number(input(form, "east")), north = number(input(form, "north"));

    fetchJson(withQuery(pointsUrl, {extent: 1})).then(function (data) {
      var tiles = data.tiles || {};
      if (tiles.url) {
        L.tileLayer(tiles.url, {attribution: tiles.attribution || "", maxZoom: 19}).addTo(map);
      }
      if (pick === "point" && lon !== null && lat !== null) {
        showPoint(L.latLng(lat, lon));
        map.setView([lat, lon], 17);
      } else if (pick === "area" && west !== null && south !== null && east !== null && north !== null) {
        var area = L.latLngBounds([south, west], [north, east]);
        showArea(area);
        map.fitBounds(area, {padding: [20, 20]});
      } else if (data.bbox) {
        var box = data.bbox;
        if (box[0] === box[2] && box[1] === box[3]) {
          map.setView([box[1], box[0]], 17);
        } else {
          map.fitBounds([[box[1], box[0]], [box[3], box[2]]], {padding: [20, 20]});
        }
      } else {
        map.setView([51.16, 10.45], 6);  // Germany, when the cadastre is empty
      }
    }).catch(function () {
      say(text(el, "error", "The map could not load its data."));
    });
  }

  function startAll() {
    if (typeof L === "undefined") { return; }
    document.querySelectorAll("[data-map]").forEach(start);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", startAll);
  } else {
    startAll();
  }
})();
