package match

import (
	"fmt"
	"math/rand"
	"sort"
	"strings"
)

// Synthesize makes n fictional organizations for load tests by mixing the
// vocabulary of a seed corpus (normally the demo data): each one takes the
// main process of a seed doc, capabilities and sentences of two or three
// seed docs of the same main process (or research field), a random city,
// size and name. The result is deterministic for a given seed corpus, n and
// rnd. Municipality: 90% DemoMunicipality, 10% spread over three others.
func Synthesize(seed []Doc, n int, rnd int64) []Doc {
	if len(seed) == 0 || n <= 0 {
		return nil
	}
	r := rand.New(rand.NewSource(rnd))
	// clusters by main process / main research field
	clusters := map[string][]*Doc{}
	var keys []string
	for i := range seed {
		d := &seed[i]
		k := d.Kind + ":"
		switch {
		case len(d.Processes) > 0:
			k += d.Processes[0]
		case len(d.ResearchTopics) > 0:
			k += d.ResearchTopics[0]
		}
		if _, ok := clusters[k]; !ok {
			keys = append(keys, k)
		}
		clusters[k] = append(clusters[k], d)
	}
	sort.Strings(keys)
	sentences := func(s string) []string {
		var out []string
		for _, p := range strings.SplitAfter(s, "。") {
			if strings.TrimSpace(p) != "" {
				out = append(out, p)
			}
		}
		return out
	}
	var nameParts, suffixes []string
	for _, d := range seed {
		if d.Kind != KindCompany {
			continue
		}
		nm := d.Name
		for _, lf := range []string{"株式会社", "有限会社", "合同会社"} {
			nm = strings.ReplaceAll(nm, lf, "")
		}
		rs := []rune(nm)
		if len(rs) >= 4 {
			nameParts = append(nameParts, string(rs[:2]))
			suffixes = append(suffixes, string(rs[len(rs)-2:]))
		}
	}
	if len(nameParts) == 0 {
		nameParts, suffixes = []string{"多摩"}, []string{"精工"}
	}
	cityNames := []string{"日野市", "八王子市", "立川市", "府中市", "昭島市", "国立市", "多摩市", "稲城市", "青梅市", "町田市"}
	otherMunis := []string{"132012", "132021", "132063"}
	pick := func(l []string, k int) []string {
		if len(l) == 0 {
			return nil
		}
		idx := r.Perm(len(l))
		if k > len(l) {
			k = len(l)
		}
		out := make([]string, 0, k)
		for _, i := range idx[:k] {
			out = append(out, l[i])
		}
		return out
	}
	union := func(ls ...[]string) []string {
		seen := map[string]bool{}
		var out []string
		for _, l := range ls {
			for _, x := range l {
				if !seen[x] {
					seen[x] = true
					out = append(out, x)
				}
			}
		}
		return out
	}
	out := make([]Doc, 0, n)
	for i := 0; i < n; i++ {
		base := &seed[r.Intn(len(seed))]
		k := base.Kind + ":"
		if len(base.Processes) > 0 {
			k += base.Processes[0]
		} else if len(base.ResearchTopics) > 0 {
			k += base.ResearchTopics[0]
		}
		cl := clusters[k]
		other := cl[r.Intn(len(cl))]
		third := cl[r.Intn(len(cl))]
		d := Doc{
			ID:           int64(i + 1),
			ExternalID:   fmt.Sprintf("S%06d", i+1),
			Municipality: DemoMunicipality,
			Kind:         base.Kind,
			City:         cityNames[r.Intn(len(cityNames))],
			JSICCode:     base.JSICCode,
			Employees:    1 + r.Intn(300),
			CapitalYen:   int64(1+r.Intn(100)) * 1000000,
			FoundedYear:  1946 + r.Intn(78),
		}
		if r.Intn(10) == 0 {
			d.Municipality = otherMunis[r.Intn(len(otherMunis))]
		}
		d.CityCode = CityCode(d.City)
		if d.Kind == KindLab {
			d.Name = base.University + " " + other.Department + " 研究室" + fmt.Sprint(i%97)
			d.University, d.Department = base.University, other.Department
			d.ResearchTopics = union(base.ResearchTopics[:1], pick(union(base.ResearchTopics[1:], other.ResearchTopics), 1+r.Intn(2)))
			d.Keywords = pick(union(base.Keywords, other.Keywords, third.Keywords), 4+r.Intn(3))
			d.Equipment = pick(union(base.Equipment, other.Equipment), 2+r.Intn(2))
			d.Collaboration = pick(union(base.Collaboration, other.Collaboration), 2+r.Intn(2))
			ss := union(sentences(base.SeedsText), pick(sentences(other.SeedsText), 3))
			d.SeedsText = strings.Join(ss, "")
		} else {
			legal := []string{"株式会社", "有限会社", "合同会社"}[r.Intn(3)]
			nm := nameParts[r.Intn(len(nameParts))] + suffixes[r.Intn(len(suffixes))]
			if r.Intn(2) == 0 {
				d.Name = legal + nm
			} else {
				d.Name = nm + legal
			}
			d.NameKana = base.NameKana
			d.Processes = union(base.Processes, pick(other.Processes, r.Intn(2)))
			d.Specialties = pick(union(base.Specialties, other.Specialties, third.Specialties), r.Intn(4))
			d.Materials = union(base.Materials, pick(other.Materials, r.Intn(2)))
			d.Certifications = pick(union(base.Certifications, other.Certifications), r.Intn(3))
			d.Lot = union(base.Lot, pick(other.Lot, r.Intn(2)))
			d.Markets = pick(union(base.Markets, other.Markets), 1+r.Intn(3))
			d.Equipment = pick(union(base.Equipment, other.Equipment), 1+r.Intn(3))
			d.Products = pick(union(base.Products, other.Products, third.Products), 2+r.Intn(3))
			if r.Intn(2) == 0 {
				d.MaxWorkpieceSize = base.MaxWorkpieceSize
			} else {
				d.MaxWorkpieceSize = other.MaxWorkpieceSize
			}
			ss := sentences(base.PRText)
			ss = append(ss, pick(sentences(other.PRText), 3+r.Intn(3))...)
			ss = append(ss, pick(sentences(third.PRText), 2)...)
			r.Shuffle(len(ss)-1, func(a, b int) { ss[a+1], ss[b+1] = ss[b+1], ss[a+1] })
			if len(ss) > 14 {
				ss = ss[:14]
			}
			d.PRText = strings.Join(union(ss), "")
		}
		out = append(out, d)
	}
	return out
}
