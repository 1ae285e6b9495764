extension ConsoleAssets {
    /// The operations page: pending approvals, recent commands, health, schedules, the queue and the
    /// audit log, each a section with a heading and a table.
    static let operationsPage = #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="color-scheme" content="light dark">
        <title>ChatOps operations</title>
        <link rel="stylesheet" href="/console/console.css">
        <script src="/console/common.js" defer></script>
        <script src="/console/ops.js" defer></script>
        </head>
        <body>
        <header class="bar">
          <h1>ChatOps</h1>
          <nav aria-label="Console pages"><a href="/console">Chat</a> <a href="/console/ops" aria-current="page">Operations</a></nav>
          <span id="updated" class="live" aria-live="off"></span>
        </header>
        <main class="operations">
          <p id="problem" class="problem" role="alert"></p>
          <section aria-labelledby="approvals-title"><h2 id="approvals-title">Pending approvals</h2><div id="approvals"></div></section>
          <section aria-labelledby="commands-title"><h2 id="commands-title">Recent commands</h2><div id="commands"></div></section>
          <section aria-labelledby="health-title"><h2 id="health-title">Health</h2><p id="health-note" class="hint"></p><div id="health"></div></section>
          <section aria-labelledby="schedules-title"><h2 id="schedules-title">Schedules</h2><div id="schedules"></div></section>
          <section aria-labelledby="queue-title"><h2 id="queue-title">Queue</h2><p id="queue"></p></section>
          <section aria-labelledby="audit-title"><h2 id="audit-title">Audit log</h2><p id="chain"></p><div id="audit"></div></section>
        </main>
        </body>
        </html>
        """#
}
