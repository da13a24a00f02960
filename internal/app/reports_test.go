package app_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"mieruka/internal/auth"
	"mieruka/internal/demo"
	"mieruka/internal/org"
	"mieruka/internal/store"
)

// pdfText extracts a PDF's text with poppler's pdftotext.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("MIERUKA_REQUIRE_TOOLS") == "1" {
			t.Fatal("pdftotext is missing (apt-get install poppler-utils)")
		}
		t.Skip("pdftotext is missing (apt-get install poppler-utils); scripts/test installs it")
	}
	f := filepath.Join(t.TempDir(), "x.pdf")
	os.WriteFile(f, pdf, 0o600)
	out, err := exec.Command("pdftotext", "-layout", f, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func pdfPages(t *testing.T, pdf []byte) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "x.pdf")
	os.WriteFile(f, pdf, 0o600)
	out, err := exec.Command("pdfinfo", f).Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(l, "Pages:") {
			return strings.TrimSpace(strings.TrimPrefix(l, "Pages:"))
		}
	}
	return ""
}

func TestPRReportsOnTheWeb(t *testing.T) {
	a := start(t, store.SQLite)
	ctx := context.Background()
	sys := auth.System("t", demo.Hino)
	o, _ := a.m.Orgs.GetByExternalID(ctx, sys, "C0007")
	p := o.Profile
	p.Notes = "内部メモ：事業承継で悩んでいる"
	p.Contacts = []org.Contact{{Person: "非公開太郎", Email: "hidden@demo.invalid"}}
	p.Visibility = map[org.FieldGroup]org.Visibility{org.GroupContact: org.Staff}
	o, err := a.m.Orgs.Update(ctx, sys, o.ID, o.Version, p)
	if err != nil {
		t.Fatal(err)
	}
	anon := a.anonymous()
	st, pdf, h := anon.do("GET", fmt.Sprintf("/companies/%d/report.pdf", o.ID), nil, "")
	if st != 200 || h.Get("Content-Type") != "application/pdf" {
		t.Fatalf("public report: %d %s", st, h.Get("Content-Type"))
	}
	if n := pdfPages(t, pdf); n != "1" {
		t.Errorf("the report has %s pages", n)
	}
	text := pdfText(t, pdf)
	for _, want := range []string{o.Profile.Name, o.Profile.CorporateNumber} {
		if !strings.Contains(text, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	for _, secret := range []string{"内部メモ", "非公開太郎", "hidden@demo.invalid"} {
		if strings.Contains(text, secret) {
			t.Errorf("the public report shows %q", secret)
		}
	}
	// The second request comes from the cache; a new profile makes a new report.
	var hash1, hash2 string
	a.m.DB.R.QueryRow("SELECT profile_hash FROM report_cache WHERE organization_id = ?", o.ID).Scan(&hash1)
	p.PRText = "新しい説明文です。"
	a.m.Orgs.Update(ctx, sys, o.ID, o.Version, p)
	_, pdf2, _ := anon.do("GET", fmt.Sprintf("/companies/%d/report.pdf", o.ID), nil, "")
	a.m.DB.R.QueryRow("SELECT profile_hash FROM report_cache WHERE organization_id = ?", o.ID).Scan(&hash2)
	if hash1 == "" || hash1 == hash2 || !strings.Contains(pdfText(t, pdf2), "新しい説明文") {
		t.Errorf("the cache did not follow the profile: %q → %q", hash1, hash2)
	}
	// Unpublished: staff only. Labs under /labs/.
	hidden, _ := a.m.Orgs.GetByExternalID(ctx, sys, "C0008")
	a.m.Orgs.SetPublished(ctx, sys, hidden.ID, hidden.Version, false)
	if st, _ := anon.get(fmt.Sprintf("/companies/%d/report.pdf", hidden.ID)); st != 404 {
		t.Errorf("unpublished public report: %d", st)
	}
	staff := a.as("staff@demo.invalid")
	if st, _, h := staff.do("GET", fmt.Sprintf("/staff/organizations/%d/report.pdf", hidden.ID), nil, ""); st != 200 || h.Get("Content-Type") != "application/pdf" {
		t.Errorf("staff report of an unpublished organization: %d", st)
	}
	lab, _ := a.m.Orgs.GetByExternalID(ctx, sys, "L001")
	if st, _ := anon.get(fmt.Sprintf("/labs/%d/report.pdf", lab.ID)); st != 200 {
		t.Errorf("lab report: %d", st)
	}
	if st, _ := anon.get(fmt.Sprintf("/companies/%d", lab.ID)); st != 404 {
		t.Errorf("a lab under /companies/: %d", st)
	}
	if st, body := anon.get(fmt.Sprintf("/companies/%d", o.ID)); st != 200 || strings.Contains(string(body), "内部メモ") {
		t.Errorf("public page: %d", st)
	}
}

func pngBytes(w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := 0; x < w; x++ {
		for y := 0; y < h; y++ {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 200, 255})
		}
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}

func upload(c *client, path string, fields map[string]string, file []byte, name string) (int, []byte) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	mw.WriteField("csrf_token", c.csrf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("image", name)
	fw.Write(file)
	mw.Close()
	st, body, _ := c.do("POST", path, &b, mw.FormDataContentType())
	return st, body
}

func TestImageUpload(t *testing.T) {
	a := start(t, store.SQLite)
	ctx := context.Background()
	sys := auth.System("t", demo.Hino)
	o, _ := a.m.Orgs.GetByExternalID(ctx, sys, "C0010")
	staff := a.as("staff@demo.invalid")
	path := fmt.Sprintf("/staff/organizations/%d", o.ID)
	staff.get(path)
	st, _ := upload(staff, path+"/images", map[string]string{"version": fmt.Sprint(o.Version), "target": "logo"}, pngBytes(300, 120), "logo.png")
	if st != http.StatusSeeOther {
		t.Fatalf("logo upload: %d", st)
	}
	o, _ = a.m.Orgs.Get(ctx, sys, o.ID)
	if o.Profile.Logo == "" {
		t.Fatal("the logo is not in the profile")
	}
	st, img, h := a.anonymous().do("GET", "/images/"+o.Profile.Logo, nil, "")
	if st != 200 || h.Get("Content-Type") != "image/png" || !bytes.HasPrefix(img, []byte("\x89PNG")) {
		t.Errorf("serving the logo: %d %s", st, h.Get("Content-Type"))
	}
	staff.get(path)
	st, body := upload(staff, path+"/images", map[string]string{"version": fmt.Sprint(o.Version), "target": "0"}, []byte("GIF89a not really"), "photo.png")
	if st != http.StatusUnprocessableEntity || !strings.Contains(string(body), "JPEG") {
		t.Errorf("a GIF named .png: %d", st)
	}
	// The PR report shows the logo (the PDF grows by the image).
	_, with, _ := a.anonymous().do("GET", fmt.Sprintf("/companies/%d/report.pdf", o.ID), nil, "")
	if !bytes.Contains(with, []byte("/Subtype /Image")) && !bytes.Contains(with, []byte("/Subtype/Image")) {
		t.Error("the report has no image")
	}
}

func TestBookletJob(t *testing.T) {
	a := start(t, store.SQLite)
	staff := a.as("staff@demo.invalid")
	staff.get("/staff/booklets")
	if st, _ := staff.form("POST", "/staff/booklets", map[string][]string{"fiscal_year": {"1999"}}); st != http.StatusUnprocessableEntity {
		t.Errorf("a fiscal year out of range: %d", st)
	}
	if st, _ := staff.form("POST", "/staff/booklets", map[string][]string{"fiscal_year": {"2025"}, "group_by": {"gojuon"}, "preface": {"はじめに。日野市のものづくり。"}}); st != http.StatusSeeOther {
		t.Fatalf("start a booklet: %d", st)
	}
	// The server's own worker makes it; wait for it.
	deadline := time.Now().Add(2 * time.Minute)
	for {
		js, _ := a.m.Jobs.List(context.Background(), demo.Hino, "report.booklet", "", 1)
		if len(js) == 1 && (js[0].Status == "done" || js[0].Status == "failed") {
			if js[0].Status == "failed" {
				t.Fatalf("booklet job failed: %s", js[0].LastError)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the booklet job did not finish")
		}
		time.Sleep(100 * time.Millisecond)
	}
	files, err := a.m.Jobs.Files(context.Background(), demo.Hino, "booklet", 5)
	if err != nil || len(files) != 1 {
		t.Fatalf("booklet files: %v %v", files, err)
	}
	st, pdf, _ := staff.do("GET", fmt.Sprintf("/staff/files/%d", files[0].ID), nil, "")
	if st != 200 {
		t.Fatalf("download: %d", st)
	}
	if n, _ := strconv.Atoi(pdfPages(t, pdf)); n < 370 {
		t.Errorf("booklet pages: %d", n)
	}
	if text := pdfText(t, pdf); !strings.Contains(text, "はじめに。日野市のものづくり。") {
		t.Error("the booklet lacks the preface")
	}
	_, page := staff.get("/staff/booklets")
	if !bytes.Contains(page, []byte("pr-booklet-132128-2025.pdf")) {
		t.Error("the booklet page does not list the file")
	}
	// Another municipality cannot download it.
	hachi := a.token("staff@hachioji.demo.invalid")
	if st := hachi.json("GET", fmt.Sprintf("/api/v1/files/%d", files[0].ID), nil, nil); st != 404 && st != 403 {
		t.Errorf("八王子 downloads 日野's booklet: %d", st)
	}
}
