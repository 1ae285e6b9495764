extension ConsoleAssets {
    /// Readable in light and dark mode, on a phone, with visible focus.
    static let style = #"""
        :root { color-scheme: light dark; --bg: #fafafa; --fg: #1b1b1b; --muted: #555; --card: #fff; --line: #d0d0d0; --accent: #0b57d0;
          --ok: #146c2e; --bad: #b3261e; --wait: #7a5900; }
        @media (prefers-color-scheme: dark) {
          :root { --bg: #141414; --fg: #ececec; --muted: #b0b0b0; --card: #1f1f1f; --line: #3a3a3a; --accent: #8ab4f8; --ok: #81c995;
            --bad: #f28b82; --wait: #fdd663; }
        }
        * { box-sizing: border-box; }
        body { margin: 0; font: 16px/1.45 system-ui, sans-serif; background: var(--bg); color: var(--fg); }
        .bar { position: sticky; top: 0; z-index: 1; background: var(--bg); display: flex; flex-wrap: wrap; gap: .75rem; align-items: center; justify-content: space-between; padding: .5rem 1rem;
          border-bottom: 1px solid var(--line); }
        .bar h1 { font-size: 1.2rem; margin: 0; }
        .who { display: flex; gap: .5rem; align-items: center; }
        main { max-width: 60rem; margin: 0 auto; padding: 1rem; }
        #transcript { display: flex; flex-direction: column; gap: .75rem; margin-bottom: 11rem; }
        .thread { border: 1px solid var(--line); border-radius: .5rem; padding: .5rem; background: var(--card); }
        .replies { margin-left: 1rem; border-left: 3px solid var(--line); padding-left: .75rem; display: flex; flex-direction: column; gap: .5rem; }
        .message header { font-weight: 600; color: var(--muted); font-size: .85rem; }
        .message h3 { margin: .2rem 0; font-size: 1rem; }
        .message p { margin: .2rem 0; white-space: pre-wrap; overflow-wrap: anywhere; }
        .tone-success { border-left: 4px solid var(--ok); padding-left: .5rem; }
        .tone-error { border-left: 4px solid var(--bad); padding-left: .5rem; }
        .tone-pending, .tone-warning { border-left: 4px solid var(--wait); padding-left: .5rem; }
        dl { display: grid; grid-template-columns: max-content 1fr; gap: .1rem .75rem; margin: .3rem 0; }
        dt { color: var(--muted); }
        dd { margin: 0; overflow-wrap: anywhere; }
        .table { overflow-x: auto; }
        table { border-collapse: collapse; font-size: .9rem; }
        th, td { border: 1px solid var(--line); padding: .2rem .5rem; text-align: left; }
        .footer, .note { color: var(--muted); font-size: .85rem; }
        .buttons { display: flex; gap: .5rem; margin-top: .3rem; }
        button, select, input { font: inherit; color: inherit; background: var(--card); border: 1px solid var(--line); border-radius: .35rem;
          padding: .4rem .7rem; }
        button { cursor: pointer; }
        button.approve { border-color: var(--ok); color: var(--ok); }
        button.reject, button.cancel { border-color: var(--bad); color: var(--bad); }
        :focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
        .composer { position: fixed; left: 0; right: 0; bottom: 0; display: flex; flex-wrap: wrap; gap: .5rem; padding: .75rem 1rem;
          background: var(--bg); border-top: 1px solid var(--line); }
        .composer input { flex: 1 1 16rem; }
        .hint, .problem { flex-basis: 100%; margin: 0; font-size: .85rem; }
        .hint { color: var(--muted); }
        .problem { color: var(--bad); }
        nav a { color: var(--accent); margin-right: .5rem; }
        nav a[aria-current=page] { font-weight: 600; text-decoration: none; color: var(--fg); }
        .live { color: var(--muted); font-size: .85rem; }
        .charts { display: flex; flex-wrap: wrap; gap: .75rem; }
        .chart { margin: .3rem 0; }
        .chart svg { width: 15rem; height: 3rem; display: block; }
        .chart polyline { fill: none; stroke: var(--accent); stroke-width: 2; }
        .chart figcaption { font-size: .85rem; color: var(--muted); }
        .operations section { margin-bottom: 1.5rem; }
        .operations h2 { font-size: 1.1rem; margin: .5rem 0; }
        .operations .problem { position: static; }
        .badge { display: inline-block; padding: 0 .4rem; border-radius: .3rem; border: 1px solid currentColor; font-size: .85rem; }
        .badge.ok { color: var(--ok); }
        .badge.bad { color: var(--bad); }
        .badge.wait { color: var(--wait); }
        .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
        """#
}
