package mail_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"log/slog"
	"mime"
	"net"
	netmail "net/mail"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"mieruka/internal/jobs"
	"mieruka/internal/mail"
	"mieruka/internal/store"
	"mieruka/internal/store/storetest"
)

// smtpServer is a real SMTP server in the test process that keeps what it
// receives, or refuses DATA while failing is set.
type smtpServer struct {
	mu       sync.Mutex
	received [][]byte
	rcpts    [][]string
	failing  bool
	addr     string
}

type session struct {
	s     *smtpServer
	rcpts []string
}

func (s *session) Reset()        { s.rcpts = nil }
func (s *session) Logout() error { return nil }
func (s *session) Mail(string, *smtp.MailOptions) error {
	return nil
}
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.rcpts = append(s.rcpts, to)
	return nil
}
func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.s.mu.Lock()
	defer s.s.mu.Unlock()
	if s.s.failing {
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	}
	s.s.received = append(s.s.received, b)
	s.s.rcpts = append(s.s.rcpts, s.rcpts)
	return nil
}

func startSMTP(t *testing.T) *smtpServer {
	t.Helper()
	s := &smtpServer{}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{s: s}, nil }))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	s.addr = l.Addr().String()
	return s
}

func (s *smtpServer) messages() [][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([][]byte(nil), s.received...)
}

const from = "日野市 産業振興課 <sangyo@city.hino.example>"

var msg = mail.Message{
	To:      []string{"田中 一郎 <tanaka@example.jp>"},
	Cc:      []string{"staff@city.hino.example"},
	Subject: "【日野市】お問い合わせを受け付けました（株式会社程久保テクノ様）",
	Text:    "田中様\n\nお問い合わせありがとうございます。\n担当者よりご連絡いたします。\n",
	Headers: map[string]string{"X-Mieruka-Kind": "inquiry"},
}

// checkMessage parses what the server received with the standard library's
// reader and checks the headers and the UTF-8 body.
func checkMessage(t *testing.T, raw []byte) {
	t.Helper()
	m, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("received mail does not parse: %v\n%s", err, raw)
	}
	dec := new(mime.WordDecoder)
	subj, err := dec.DecodeHeader(m.Header.Get("Subject"))
	if err != nil || subj != msg.Subject {
		t.Errorf("Subject = %q (%v), want %q", subj, err, msg.Subject)
	}
	fromH, err := m.Header.AddressList("From")
	if err != nil || len(fromH) != 1 || fromH[0].Name != "日野市 産業振興課" || fromH[0].Address != "sangyo@city.hino.example" {
		t.Errorf("From = %v (%v)", fromH, err)
	}
	to, err := m.Header.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Name != "田中 一郎" {
		t.Errorf("To = %v (%v)", to, err)
	}
	if ct := m.Header.Get("Content-Type"); !strings.Contains(ct, "charset=\"UTF-8\"") || !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("Content-Type = %q", ct)
	}
	if m.Header.Get("MIME-Version") != "1.0" || m.Header.Get("Message-ID") == "" || m.Header.Get("X-Mieruka-Kind") != "inquiry" {
		t.Errorf("headers: %v", m.Header)
	}
	if d, err := m.Header.Date(); err != nil || time.Since(d) > time.Minute {
		t.Errorf("Date = %v (%v)", d, err)
	}
	body, _ := io.ReadAll(m.Body)
	text, err := decodeBase64Lines(body)
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.ReplaceAll(msg.Text, "\n", "\r\n"); text != want {
		t.Errorf("body = %q, want %q", text, want)
	}
	for _, line := range bytes.Split(raw, []byte("\r\n")) {
		if len(line) > 998 {
			t.Errorf("line longer than RFC 5322 allows: %d", len(line))
		}
	}
}

func decodeBase64Lines(b []byte) (string, error) {
	s := strings.Join(strings.Fields(string(b)), "")
	out, err := base64.StdEncoding.DecodeString(s)
	return string(out), err
}

func TestSMTPDeliversOnce(t *testing.T) {
	srv := startSMTP(t)
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		srv.mu.Lock()
		srv.received, srv.rcpts = nil, nil
		srv.mu.Unlock()
		ctx := context.Background()
		sender, err := mail.ParseURL("smtp://" + srv.addr + "?tls=none")
		if err != nil {
			t.Fatal(err)
		}
		q := jobs.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
		m := &mail.Mailer{From: from, Sender: sender, Queue: q}
		m.Register()
		id, err := m.Enqueue(ctx, nil, "132128", msg)
		if err != nil {
			t.Fatal(err)
		}
		if err := q.Drain(ctx); err != nil {
			t.Fatal(err)
		}
		got := srv.messages()
		if len(got) != 1 {
			t.Fatalf("server received %d messages, want 1", len(got))
		}
		checkMessage(t, got[0])
		if r := srv.rcpts[0]; len(r) != 2 || r[0] != "tanaka@example.jp" || r[1] != "staff@city.hino.example" {
			t.Errorf("RCPT TO %v", r)
		}
		j, err := q.Get(ctx, "132128", id)
		if err != nil || j.Status != jobs.Done {
			t.Errorf("job %v %v", j.Status, err)
		}
	})
}

func TestSMTPFailureRetriesThenFails(t *testing.T) {
	srv := startSMTP(t)
	srv.failing = true
	db := storetest.SQLite(t)
	ctx := context.Background()
	sender, _ := mail.ParseURL("smtp://" + srv.addr + "?tls=none")
	q := jobs.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	q.Backoff = func(int) time.Duration { return 0 }
	m := &mail.Mailer{From: from, Sender: sender, Queue: q}
	m.Register()
	id, err := m.Enqueue(ctx, nil, "132128", msg)
	if err != nil {
		t.Fatal(err)
	}
	// Three failed attempts: the job waits for another try.
	for i := 0; i < 3; i++ {
		if ran, err := q.RunOnce(ctx); !ran || err != nil {
			t.Fatalf("attempt %d: ran=%v err=%v", i+1, ran, err)
		}
	}
	j, _ := q.Get(ctx, "132128", id)
	if j.Status != jobs.Queued || j.Attempts != 3 || !strings.Contains(j.LastError, "451") {
		t.Fatalf("after 3 failures: %s, %d attempts, %q", j.Status, j.Attempts, j.LastError)
	}
	// The server recovers: the message arrives, once.
	srv.mu.Lock()
	srv.failing = false
	srv.mu.Unlock()
	q.Drain(ctx)
	if n := len(srv.messages()); n != 1 {
		t.Fatalf("%d messages after recovery, want 1", n)
	}
	j, _ = q.Get(ctx, "132128", id)
	if j.Status != jobs.Done {
		t.Errorf("status %s", j.Status)
	}

	// A server that never recovers: the job ends failed, visibly.
	srv.mu.Lock()
	srv.failing = true
	srv.mu.Unlock()
	id2, _ := m.Enqueue(ctx, nil, "132128", msg)
	q.Drain(ctx)
	j, _ = q.Get(ctx, "132128", id2)
	if j.Status != jobs.Failed || j.Attempts != 8 || j.LastError == "" {
		t.Errorf("never-recovering server: %s after %d attempts (%q)", j.Status, j.Attempts, j.LastError)
	}
}

func TestUnreachableServer(t *testing.T) {
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := l.Addr().String()
	l.Close()
	s, _ := mail.ParseURL("smtp://" + addr)
	s.Timeout = 2 * time.Second
	if err := s.Send(context.Background(), from, msg); err == nil {
		t.Fatal("sending to a closed port succeeded")
	}
}

func TestOutbox(t *testing.T) {
	dir := t.TempDir()
	if err := (mail.Outbox{Dir: dir}).Send(context.Background(), from, msg); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
	if len(files) != 1 {
		t.Fatalf("%d .eml files", len(files))
	}
	raw, _ := os.ReadFile(files[0])
	checkMessage(t, raw)
}

func TestComposeRefusesBadInput(t *testing.T) {
	cases := []mail.Message{
		{Subject: "no recipient", Text: "x"},
		{To: []string{"not an address"}, Subject: "x"},
		{To: []string{"a@example.jp"}, Subject: "x", Headers: map[string]string{"Bcc": "evil@example.jp"}},
		{To: []string{"a@example.jp"}, Subject: "x", Headers: map[string]string{"X-Inject": "a\r\nBcc: evil@example.jp"}},
	}
	for _, c := range cases {
		if _, err := mail.Compose(from, c, time.Now()); err == nil {
			t.Errorf("Compose accepted %+v", c)
		}
	}
	raw, err := mail.Compose(from, mail.Message{To: []string{"a@example.jp"}, Subject: "改行\r\nBcc: evil@example.jp", Text: "x"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	m, _ := netmail.ReadMessage(bytes.NewReader(raw))
	if m.Header.Get("Bcc") != "" {
		t.Error("a line break in the subject injected a header")
	}
}
