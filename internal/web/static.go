package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

//go:embed static
var staticFS embed.FS

// staticFiles serves the embedded assets under checksummed URLs
// (/static/<hash>/<name>), so they can be cached for a year and a new release
// is still seen at once. Compressible files are gzipped once, at start-up.
type staticFiles struct {
	byName map[string]*asset // "app.css" → asset
	byURL  map[string]*asset // "/static/1a2b3c4d/app.css" → asset
}

type asset struct {
	url         string
	contentType string
	body, gz    []byte
}

func loadStatic() (*staticFiles, error) {
	s := &staticFiles{byName: map[string]*asset{}, byURL: map[string]*asset{}}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, "static/")
		sum := sha256.Sum256(b)
		a := &asset{url: "/static/" + hex.EncodeToString(sum[:])[:12] + "/" + name, body: b}
		a.contentType = mime.TypeByExtension(path.Ext(name))
		if a.contentType == "" {
			a.contentType = "application/octet-stream"
		}
		if strings.HasPrefix(a.contentType, "text/") || strings.Contains(a.contentType, "javascript") || strings.Contains(a.contentType, "svg") || strings.HasSuffix(name, ".json") {
			var gz bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
			zw.Write(b)
			zw.Close()
			if gz.Len() < len(b) {
				a.gz = gz.Bytes()
			}
		}
		s.byName[name] = a
		s.byURL[a.url] = a
		return nil
	})
	return s, err
}

// URL returns the checksummed URL of a static file.
func (s *staticFiles) URL(name string) string {
	if a, ok := s.byName[name]; ok {
		return a.url
	}
	panic("web: no static file " + name)
}

func (s *staticFiles) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a, ok := s.byURL[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", a.contentType)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("Vary", "Accept-Encoding")
	h.Set("X-Content-Type-Options", "nosniff")
	body := a.body
	if a.gz != nil && strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		h.Set("Content-Encoding", "gzip")
		body = a.gz
	}
	w.Write(body)
}
