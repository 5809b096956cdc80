// The report's stylesheet, inlined in the page: a single column readable at 1280 px, tables with
// aligned numbers, sample texts that wrap and scroll inside their box, and print-friendly colours.

enum ReportStyle {
    static let css: HTML = """
        :root { color-scheme: light; }
        * { box-sizing: border-box; }
        body { margin: 0; background: #f6f8fa; color: #1f2328;
               font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", "Liberation Sans", Arial, sans-serif; }
        .page { max-width: 1180px; margin: 0 auto; padding: 24px 28px 48px; }
        header h1 { font-size: 28px; margin: 0 0 4px; line-height: 1.25; overflow-wrap: anywhere; }
        .subtitle { color: #57606a; margin: 0 0 12px; overflow-wrap: anywhere; }
        nav { display: flex; flex-wrap: wrap; gap: 6px 16px; padding: 8px 0 4px; border-bottom: 1px solid #d0d7de; }
        nav a { color: #0969da; text-decoration: none; font-weight: 600; }
        section { margin-top: 28px; }
        h2 { font-size: 22px; margin: 0 0 6px; padding-top: 8px; }
        h3 { font-size: 17px; margin: 22px 0 8px; overflow-wrap: anywhere; }
        h4 { font-size: 13px; margin: 0 0 4px; color: #57606a; overflow-wrap: anywhere; }
        p.lead { color: #57606a; margin: 0 0 12px; }
        code { font: 13px/1.4 ui-monospace, "DejaVu Sans Mono", Menlo, monospace; background: #eff1f3; padding: 1px 4px; border-radius: 4px; }
        .tiles { display: grid; grid-template-columns: repeat(4, 1fr); gap: 12px; margin: 16px 0; }
        .tile { background: #fff; border: 1px solid #d0d7de; border-radius: 8px; padding: 12px 14px; min-width: 0; }
        .tile .label { color: #57606a; font-size: 13px; }
        .tile .value { font-size: 24px; font-weight: 650; line-height: 1.3; overflow-wrap: anywhere; }
        .tile .detail { color: #57606a; font-size: 13px; overflow-wrap: anywhere; }
        figure { margin: 12px 0; background: #fff; border: 1px solid #d0d7de; border-radius: 8px; padding: 12px 10px 8px; min-width: 0; }
        figcaption { font-weight: 600; margin: 0 4px 8px; overflow-wrap: anywhere; }
        figcaption .note { display: block; font-weight: 400; color: #57606a; font-size: 13px; }
        svg.chart { display: block; width: 100%; height: auto; font-family: inherit; }
        .grid2 { display: grid; grid-template-columns: 1fr 1fr; gap: 0 16px; }
        .missing { background: #fff8c5; border: 1px solid #d4a72c; border-radius: 8px; padding: 10px 14px; margin: 12px 0; }
        .missing ul { margin: 6px 0 0; padding-left: 20px; }
        table { border-collapse: collapse; background: #fff; margin: 8px 0 12px; font-size: 14px; max-width: 100%; }
        .table-wrap { overflow-x: auto; max-width: 100%; }
        th, td { border: 1px solid #d0d7de; padding: 5px 10px; text-align: left; vertical-align: top; overflow-wrap: break-word; }
        th { background: #f6f8fa; font-weight: 600; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        td.num { white-space: nowrap; }
        td.long { overflow-wrap: anywhere; min-width: 12em; }
        td.best { font-weight: 700; }
        .delta { display: block; font-size: 12px; }
        .better { color: #1a7f37; }
        .worse { color: #cf222e; }
        .neutral { color: #57606a; }
        .swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 6px; vertical-align: -1px; }
        .sample { background: #fff; border: 1px solid #d0d7de; border-radius: 8px; padding: 12px 14px; margin: 12px 0; }
        .sample .cols { display: grid; grid-template-columns: repeat(var(--cols), minmax(0, 1fr)); gap: 12px; margin-top: 10px; }
        .sample .runrow { display: grid; grid-template-columns: 170px repeat(3, minmax(0, 1fr)); gap: 12px; margin-top: 10px;
                          padding-top: 10px; border-top: 1px solid #eaeef2; }
        .sample .runrow > div { min-width: 0; overflow-wrap: anywhere; }
        .text { white-space: pre-wrap; overflow-wrap: anywhere; background: #f6f8fa; border: 1px solid #eaeef2; border-radius: 6px;
                padding: 8px 10px; font-size: 14px; max-height: 320px; overflow: auto; }
        .text.prompt { background: #ddf4ff; border-color: #b6e3ff; }
        .text.empty { color: #57606a; font-style: italic; }
        .cut { color: #57606a; font-size: 12px; font-style: italic; }
        details { background: #fff; border: 1px solid #d0d7de; border-radius: 8px; padding: 8px 14px; margin: 12px 0; }
        summary { cursor: pointer; font-weight: 600; }
        pre.recipe { white-space: pre-wrap; overflow-wrap: anywhere; font: 13px/1.45 ui-monospace, "DejaVu Sans Mono", Menlo, monospace;
                     max-height: 480px; overflow: auto; }
        footer { margin-top: 40px; color: #57606a; font-size: 13px; }
        @media (max-width: 900px) { .tiles { grid-template-columns: 1fr 1fr; } .grid2 { grid-template-columns: 1fr; } }
        @media print { body { background: #fff; } details { break-inside: avoid; } figure { break-inside: avoid; } }
        """
}
