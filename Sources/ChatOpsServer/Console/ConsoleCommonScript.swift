extension ConsoleAssets {
    /// What both console pages use: calls to the bot's API with the signed-in person's token, elements
    /// built from text (never from markup), times said relative to now, and charts of metric series.
    static let commonScript = #"""
        "use strict";
        const byId = (id) => document.getElementById(id);

        function storedToken() { return sessionStorage.getItem("chatops-token") || ""; }

        function headers() {
          const fields = { "Content-Type": "application/json" };
          if (storedToken()) fields["Authorization"] = "Bearer " + storedToken();
          return fields;
        }

        async function call(path, body) {
          const response = await fetch(path, body === undefined
            ? { headers: headers(), cache: "no-store" }
            : { method: "POST", headers: headers(), body: JSON.stringify(body) });
          const text = await response.text();
          if (!response.ok) {
            let message = text || response.statusText;
            try { message = JSON.parse(text).error.message || message; } catch (ignored) { /* not JSON: the text as it is */ }
            const failure = new Error(message);
            failure.status = response.status;
            throw failure;
          }
          return text ? JSON.parse(text) : null;
        }

        function element(tag, className, text) {
          const node = document.createElement(tag);
          if (className) node.className = className;
          if (text !== undefined && text !== null) node.textContent = text;
          return node;
        }

        /// A table with a header row; each cell a text or a node.
        function tableOf(columns, rows, caption) {
          const wrapper = element("div", "table"), grid = element("table"), head = element("thead"), line = element("tr"), body = element("tbody");
          if (caption) grid.append(element("caption", "visually-hidden", caption));
          for (const column of columns) { const cell = element("th", null, column); cell.scope = "col"; line.append(cell); }
          head.append(line);
          for (const row of rows) {
            const cells = element("tr");
            for (const value of row) {
              const cell = element("td");
              if (value instanceof Node) cell.append(value); else cell.textContent = value === null || value === undefined ? "–" : String(value);
              cells.append(cell);
            }
            body.append(cells);
          }
          grid.append(head, body);
          wrapper.append(grid);
          return wrapper;
        }

        function problem(text) { byId("problem").textContent = text || ""; }

        /// "in 5 min", "12 s ago", "just now", "–" for nothing.
        function relative(iso) {
          if (!iso) return "–";
          const seconds = Math.round((Date.parse(iso) - Date.now()) / 1000);
          const size = Math.abs(seconds);
          // Times come in whole seconds, and clocks differ a little: a moment either side is now.
          if (size < 2) return "just now";
          const amount = size < 90 ? size + " s" : size < 5400 ? Math.round(size / 60) + " min" : size < 172800
            ? Math.round(size / 3600) + " h" : Math.round(size / 86400) + " d";
          return seconds >= 0 ? "in " + amount : amount + " ago";
        }

        function timeCell(iso) {
          const node = element("time", null, relative(iso));
          if (iso) { node.dateTime = iso; node.title = new Date(iso).toLocaleString(); }
          return node;
        }

        function number(value) { return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4))); }

        /// A line chart of a metric series as SVG, described for screen readers, with its last value.
        function chart(series) {
          const values = series.values || [];
          const unit = series.unit ? " " + series.unit : "";
          const figure = element("figure", "chart");
          if (!values.length) { figure.append(element("figcaption", null, series.name + ": no values")); return figure; }
          const low = Math.min(...values), high = Math.max(...values), width = 240, height = 48;
          const [shownLow, shownHigh, last] = [number(low), number(high), number(values[values.length - 1])];
          const spread = high - low || 1;
          const points = values.map((value, index) => {
            const x = values.length === 1 ? width / 2 : (index / (values.length - 1)) * width;
            const y = height - 4 - ((value - low) / spread) * (height - 8);
            return x.toFixed(1) + "," + y.toFixed(1);
          });
          const space = "http://www.w3.org/2000/svg";
          const svg = document.createElementNS(space, "svg");
          svg.setAttribute("viewBox", "0 0 " + width + " " + height);
          svg.setAttribute("role", "img");
          svg.setAttribute("aria-label", series.name + ": " + values.length + " values from " + shownLow + " to " + shownHigh + unit + ", last " + last + unit);
          const line = document.createElementNS(space, "polyline");
          line.setAttribute("points", points.join(" "));
          svg.append(line);
          figure.append(svg, element("figcaption", null, series.name + ": " + last + unit + " (min " + shownLow + ", max " + shownHigh + ")"));
          return figure;
        }
        """#
}
