// Package report renders the 企業の魅力PRレポート: a one-page A4 PDF per company or
// university lab, and the yearly booklet that compiles them.
//
// # Single report
//
//	r := report.Report{
//		Profile:      published,            // org.Profile, already filtered to public fields
//		Kind:         org.KindCompany,      // or org.KindLab
//		ExternalID:   "C0001",
//		PageURL:      "https://…/directory/C0001", // QR code and link
//		Images:       images,               // image id → clean JPEG/PNG (internal/image.Sanitize)
//		IssuedOn:     time.Now(),
//		Municipality: "日野市",
//		JSICName:     "金属製品製造業",
//	}
//	err := report.RenderPR(w, r)
//
// # Booklet
//
//	b := report.Booklet{
//		Municipality: "日野市", FiscalYear: 2025,
//		Preface:      prefaceText,
//		GroupBy:      report.GroupJSIC,      // or report.GroupGojuon
//		Reports:      reports,
//		IndexTerms:   taxonomy.Processes,     // order of the process index (optional)
//	}
//	err := report.RenderBooklet(ctx, w, b, func(done, total int) { bar.Set(done) })
//
// The booklet is: cover, preface (はじめに, with a colophon), table of contents
// grouped by JSIC 中分類 or by 五十音 行 (labs last, as 大学・研究機関), one report per
// page with running header (title, 年度, city | group) and page number, an index of
// processes → organizations with page numbers (and of research fields for labs),
// and PDF bookmarks: sections, groups, and every organization under its group.
// Contents and index entries link to their pages. ctx is checked between pages;
// nothing is written to w before the whole document is built (the PDF is
// assembled in memory: about 0.3 MB of RAM per page at peak, see
// bench/report).
//
// # Visibility
//
// The report is public: it is handed out at events and published. The caller
// passes a Profile already filtered to what the organization made public
// (org.Profile.Visibility); this package prints every non-empty field it is
// given. Notes are never printed.
//
// # One page, always
//
// Every report is exactly one page. Running texts (PR, strengths, research seeds)
// are set at the largest of five type sizes (9.5 pt down to a readable minimum of
// 7.5 pt) at which the page holds everything. If it still does not, the tallest
// parts give up lines or rows: texts are cut after the last whole sentence that
// fits (or, without a sentence end nearby, after the last character that fits)
// and end with 「…続きはWebで」; lists and tables show what fits and 「ほかN件
// （Webで公開）」. Lines break by Japanese rules (禁則: no 。、」ー or small kana at
// a line start, no 「（ at a line end; Latin words and numbers are not split) and
// full lines are justified. Missing fields leave no gap: sections, table columns
// and data rows without data are left out, and the rest closes up.
//
// # Type
//
// The typeface, BIZ UDGothic (Morisawa, a universal-design face made for public
// documents), Regular and Bold, ships in the binary (go:embed) under the SIL Open
// Font License 1.1 (FontLicense, fonts/OFL.txt): nothing is installed at build
// or run time. PDFs embed a subset of the glyphs they use (a report is 100–200 KB
// with photos). Characters the face lacks are never dropped: they print as their
// NFKC compatibility form when the face has that (⼀ → 一), otherwise as a visible
// 〓 (𠮷, emoji — one 〓 per emoji sequence). CheckText shows the result in
// advance, for a warning in the profile editor.
//
// # Dates and order
//
// Dates follow internal/jp (2025年11月22日（令和7年11月22日）; founding years with
// their era). 五十音 order uses the katakana reading (Profile.NameKana, without the
// legal form) with a small private key (sortKey, jphelp.go) that groups by 行; it
// could move to jp.SortKey once a 行 helper exists there.
//
// # Concurrency
//
// RenderPR and RenderBooklet may be called from many goroutines; the parsed fonts
// are shared read-only.
package report
