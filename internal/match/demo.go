package match

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// DemoMunicipality is the tenant code given to the demo organizations (日野市).
const DemoMunicipality = "132128"

// demoRecord is one line of companies.jsonl or labs.jsonl.
type demoRecord struct {
	ID               string   `json:"id"`
	DocType          string   `json:"doc_type"`
	Name             string   `json:"name"`
	NameKana         string   `json:"name_kana"`
	City             string   `json:"city"`
	JSICCode         string   `json:"jsic_code"`
	Employees        int      `json:"employees"`
	CapitalYen       int64    `json:"capital_yen"`
	FoundedYear      int      `json:"founded_year"`
	Processes        []string `json:"processes"`
	Specialties      []string `json:"specialties"`
	Materials        []string `json:"materials"`
	MaxWorkpieceSize *string  `json:"max_workpiece_size"`
	Lot              []string `json:"lot"`
	Certifications   []string `json:"certifications"`
	Equipment        []string `json:"equipment"`
	Products         []string `json:"products"`
	Markets          []string `json:"markets"`
	PRText           string   `json:"pr_text"`
	// labs
	University     string   `json:"university"`
	Faculty        string   `json:"faculty"`
	Department     string   `json:"department"`
	Lab            string   `json:"lab"`
	Head           string   `json:"head"`
	ResearchTopics []string `json:"research_topics"`
	Keywords       []string `json:"keywords"`
	SeedsText      string   `json:"seeds_text"`
	Collaboration  []string `json:"collaboration"`
}

// ReadDemoJSONL reads organizations in the demo-data format
// (internal/demo/data/companies.jsonl, labs.jsonl). Database ids are
// derived from the external ids (C0001 → 1, L001 → 100001) unless
// firstID > 0, in which case ids are assigned sequentially from it.
func ReadDemoJSONL(r io.Reader, municipality string, firstID int64) ([]Doc, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	var docs []Doc
	line := 0
	next := firstID
	for sc.Scan() {
		line++
		b := strings.TrimSpace(sc.Text())
		if b == "" {
			continue
		}
		var rec demoRecord
		if err := json.Unmarshal([]byte(b), &rec); err != nil {
			return nil, fmt.Errorf("match: demo data line %d: %w", line, err)
		}
		d := Doc{
			ExternalID:     rec.ID,
			Municipality:   municipality,
			Kind:           rec.DocType,
			Name:           rec.Name,
			NameKana:       rec.NameKana,
			City:           rec.City,
			CityCode:       CityCode(rec.City),
			JSICCode:       rec.JSICCode,
			Employees:      rec.Employees,
			CapitalYen:     rec.CapitalYen,
			FoundedYear:    rec.FoundedYear,
			Processes:      rec.Processes,
			Specialties:    rec.Specialties,
			Materials:      rec.Materials,
			Certifications: rec.Certifications,
			Lot:            rec.Lot,
			Markets:        rec.Markets,
			Equipment:      rec.Equipment,
			Products:       rec.Products,
			PRText:         rec.PRText,
			University:     rec.University,
			ResearchTopics: rec.ResearchTopics,
			Keywords:       rec.Keywords,
			SeedsText:      rec.SeedsText,
			Collaboration:  rec.Collaboration,
		}
		if rec.MaxWorkpieceSize != nil {
			d.MaxWorkpieceSize = *rec.MaxWorkpieceSize
		}
		if d.Kind == "" {
			d.Kind = KindCompany
		}
		if d.Kind == KindLab {
			d.Department = strings.TrimSpace(rec.Faculty + " " + rec.Department)
		}
		if firstID > 0 {
			d.ID = next
			next++
		} else {
			d.ID = demoID(rec.ID)
			if d.ID == 0 {
				d.ID = int64(200000 + line)
			}
		}
		docs = append(docs, d)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("match: reading demo data: %w", err)
	}
	return docs, nil
}

func demoID(ext string) int64 {
	if len(ext) < 2 {
		return 0
	}
	n, err := strconv.ParseInt(ext[1:], 10, 64)
	if err != nil {
		return 0
	}
	switch ext[0] {
	case 'C':
		return n
	case 'L':
		return 100000 + n
	}
	return 0
}

// LoadDemoDir reads companies.jsonl and labs.jsonl from dir (normally
// internal/demo/data) with municipality DemoMunicipality.
func LoadDemoDir(dir string) ([]Doc, error) {
	var all []Doc
	for _, name := range []string{"companies.jsonl", "labs.jsonl"} {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		docs, err := ReadDemoJSONL(f, DemoMunicipality, 0)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		all = append(all, docs...)
	}
	return all, nil
}
