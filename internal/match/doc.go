// Package match is mieruka's matching engine: it finds the local firms and
// university labs that can do a job, from a request written in Japanese (or
// English), and says why.
//
// # Integration
//
// One Engine per process holds every published organization of every
// municipality (tenant); all methods are safe for concurrent use.
//
//	e := match.New()                       // or match.New(match.Options{Neighbours: jp.Neighbours})
//	_ = match.WarmUp()                     // load the morphological dictionary (≈0.7 s) at start-up
//	err := e.Build(docs)                   // []match.Doc mapped from the database (≈1 s / 10,000)
//	err = e.Upsert(doc)                    // a profile was published / changed
//	e.Remove(id)                           // unpublished / deleted
//	err = e.SetSynonyms("132128", entries) // staff's own words, per municipality, no restart
//
//	res, err := e.Search(ctx, match.Query{
//		Municipality: "132128",
//		Kind:         match.KindRFQ, // KindSearch (directory box), KindRFQ, KindNeeds, KindPartner
//		Text:         "φ0.3mmの微細穴あけができるステンレス精密切削の協力工場。ロット100個、ISO9001必須。",
//		Filters:      match.Filters{Cities: []string{"日野市"}},
//		Limit:        20,
//	})
//	var fe *match.FilterError
//	if errors.As(err, &fe) { /* 400: fe.Error() (English) or fe.MessageJA() */ }
//	for _, h := range res.Hits {
//		// h.ExternalID, h.Name, h.Score, h.Fit (0–3, like the judges' grades)
//		// h.Why.Met / h.Why.Unmet: 「微細加工」「材質: ステンレス」「ISO9001 取得（必須）」…
//		// h.Why.Matched: per field, byte spans to highlight
//	}
//	// res.Understood.Notes: 「ISO9001必須として解釈しました（未取得の企業は除外）」…
//	// res.Facets["process"], ["material"], ["city"], ["certification"], ["lot"], ["kind"], ["market"], ["jsic"], ["topic"]
//
//	// Query.NoFacets / NoHighlight skip work a caller does not need (batch runs).
//
//	groups, err := e.JointGroups(ctx, match.Query{Kind: match.KindPartner, Text: "切削 → めっき → 組立 を一括で"})
//	similar, ok := e.Similar(id, 5)          // 「似ている企業」 on a profile page
//	tax := e.Taxonomy()                       // filter / facet vocabularies with English names
//
// Docs from the demo data: LoadDemoDir("internal/demo/data") or ReadDemoJSONL.
// Evaluation (for `mieruka match run`): ReadQueries, RunQueries(e, queries, top)
// → []RunLine written with WriteRun, and Score(run, qrels) → Metrics with
// nDCG@10, Recall@20 and MRR exactly as the evaluation README defines them.
//
// # How it works
//
// Analysis. Text is normalised (NFKC, lower case, hiragana → katakana, the
// prolonged-sound mark after katakana dropped, φ/Φ/ø and µ/μ unified) with a
// map back to byte offsets of the original. A thesaurus (data/*.tsv,
// embedded; see data/README.md) of processes, specialties, material families
// and grades, certifications, lot classes, markets, equipment, products and
// research fields — Japanese spellings, abbreviations and English — is
// matched leftmost-longest on the normalised text (katakana-only entries do
// not match hiragana text; English entries match on word boundaries with
// plural / -ed / -ing endings; material grades such as A5052, SUS316L, S45C
// by pattern). Queries are also cut into content words with kagome (IPA
// dictionary); their character bigrams match words the thesaurus does not
// know. Docs are indexed with character bigrams, ASCII tokens and one term
// per concept (whatever the spelling) in a BM25 index with field weights.
//
// Profiles. Each doc becomes a set of capabilities with the strength of the
// evidence: a structured field (processes, specialties, materials …) counts
// fully, equipment and the PR text less, a product name little. Statements
// such as 「※アルマイト処理は行っておりません」 negate, and steps 「協力会社と連携し
// 一括手配」 are marked as done by partners. Finer concepts imply broader ones
// (硬質アルマイト → アルマイト). The largest workpiece, smallest hole and best
// tolerance are read from the size field and the text.
//
// Requests. The text is cut into sentences and clauses; each concept gets a
// role: asked for, background, the sender's own business or steps done in
// house (当社で…, ウチは…屋です, we are…), or ruled out (…はNG, 除外, 以外,
// "is not acceptable", "rather than"). From the roles come the main process
// (a head noun such as めっき会社 first), other wished processes and
// specialties, materials, the lot class from quantities (月2万コ → 量産),
// part size and hole diameter, markets (自動車向け), research fields with
// weights (labs), certifications that are a must (必須, 限ります, required →
// a filter) or a wish, cities required / excluded / preferred (市内 = the
// tenant's city, 近隣 = neighbouring cities, 南多摩 / "Tama area" = their
// cities) and whether a lab or a company is wanted. When no process is written, products and problems point to one
// (防振マウント → ゴム成形 + ゴム金属焼付).
//
// Ranking. Each candidate gets an estimated fit on the judges' 0–3 scale:
// 3 minus what each unmet requirement costs a human judge (a secondary wish
// about one grade; a wrong material, a step only via partners, a hole out of
// reach about two; a related process instead of the asked one by how
// related), labs by research field (main field 3, side theme 2, related
// fields less), companies answering a development need through related
// capabilities (at most 2). Text relevance (BM25) is added with a smaller
// weight. Hard constraints filter. Ranking reads a per-query evidence table
// filled from concept postings, so 100,000 organizations rank in a few
// milliseconds of CPU.
//
// Joint orders. JointGroups takes the steps the request needs and proposes
// minimal covering groups: fewest members, then nearest (same city,
// neighbouring cities by Options.Neighbours or the built-in Tama table), then
// best fit, each with a leader and the coverage per step.
//
// Costs: Build ≈ 1 s per 10,000 organizations (2 cores), ≈ 1.9 KB of heap
// per organization (+ ≈ 90 MB once for the dictionary); a search over
// 100,000 organizations ≈ 5 ms of CPU. Upsert and Remove are cheap;
// SetSynonyms re-reads the municipality's docs under the write lock
// (≈ 1 s per 10,000).
//
// Bad input (empty, 10,000 characters — analysed up to 2,000 —, emoji,
// punctuation, SQL or regex characters, invalid UTF-8) gives a result, never
// a panic; unknown filter values give *FilterError.
package match
