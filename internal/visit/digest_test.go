package visit_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"log/slog"
	"mime"
	"net"
	netmail "net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"mieruka/internal/jobs"
	"mieruka/internal/mail"
	"mieruka/internal/store"
	"mieruka/internal/store/storetest"
	"mieruka/internal/visit"
)

// smtpServer is a real SMTP server in the test process that keeps what it
// receives, or answers DATA with a temporary failure while failing is set.
type smtpServer struct {
	mu       sync.Mutex
	received [][]byte
	rcpts    [][]string
	failing  bool
	attempts int
	addr     string
}

type smtpSession struct {
	s     *smtpServer
	rcpts []string
}

func (s *smtpSession) Reset()                               { s.rcpts = nil }
func (s *smtpSession) Logout() error                        { return nil }
func (s *smtpSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.rcpts = append(s.rcpts, to)
	return nil
}
func (s *smtpSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.s.mu.Lock()
	defer s.s.mu.Unlock()
	s.s.attempts++
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
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &smtpSession{s: s}, nil }))
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	s.addr = l.Addr().String()
	return s
}

func (s *smtpServer) messages() ([][]byte, [][]string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([][]byte(nil), s.received...), append([][]string(nil), s.rcpts...)
}

func (s *smtpServer) setFailing(b bool) {
	s.mu.Lock()
	s.failing = b
	s.mu.Unlock()
}

// TestDailyDigest: the digest is scheduled once per municipality and day
// however often and from however many instances it is asked for, reaches a
// real SMTP server once per person with something to tell, in Japanese
// UTF-8 with proper headers; a failing server means retries and a visible
// failed job that can be retried — never a lost digest.
func TestDailyDigest(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		srv := startSMTP(t)
		host, port, _ := net.SplitHostPort(srv.addr)
		q := jobs.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
		q.Backoff = func(int) time.Duration { return 0 }
		mailer := &mail.Mailer{From: "日野市 産業振興課 <sangyo@city.hino.example>", Sender: &mail.SMTP{Host: host, Port: port, NoTLS: true, Timeout: 5 * time.Second}, Queue: q}
		mailer.Register()
		f.v.Mailer = mailer
		f.v.RegisterJobs(q)

		// The coordinator: an overdue issue and a visit in two days with
		// the bank. The bank: that visit. The other coordinator: nothing.
		past := f.visitIn(f.now.AddDate(0, -2, 0))
		past.AttendeeIDs = []int64{f.coord.UserID}
		past.NewIssues = []visit.IssueInput{{Title: "後継者が決まっていない", DueOn: "2025-05-30"}}
		if _, err := f.v.CreateVisit(ctx, f.coord, past); err != nil {
			t.Fatal(err)
		}
		next := f.visitIn(time.Date(2025, 6, 5, 14, 0, 0, 0, f.now.Location()))
		next.Purpose = "設備更新の相談"
		if _, err := f.v.CreateVisit(ctx, f.coord, next); err != nil {
			t.Fatal(err)
		}

		// Before 07:00 nothing is scheduled; after, once, whoever asks.
		f.now = time.Date(2025, 6, 3, 6, 59, 0, 0, f.now.Location())
		if n, err := f.v.ScheduleDigests(ctx, q); err != nil || n != 0 {
			t.Fatalf("before 7:00: %d %v", n, err)
		}
		f.now = time.Date(2025, 6, 3, 7, 0, 0, 0, f.now.Location())
		other, err := visit.NewService(ctx, db, f.auth, f.orgs, f.munis) // a second instance
		if err != nil {
			t.Fatal(err)
		}
		other.Now = f.v.Now
		var wg sync.WaitGroup
		counts := make([]int, 6)
		for i := range counts {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				s := f.v
				if i%2 == 1 {
					s = other
				}
				counts[i], _ = s.ScheduleDigests(ctx, q)
			}(i)
		}
		wg.Wait()
		total := 0
		for _, n := range counts {
			total += n
		}
		if total != 2 { // 日野 and 八王子
			t.Fatalf("scheduled %d digests, want 2 (one per municipality)", total)
		}
		if err := q.Drain(ctx); err != nil {
			t.Fatal(err)
		}
		msgs, rcpts := srv.messages()
		if len(msgs) != 2 {
			t.Fatalf("%d mails, want 2 (the coordinator and the bank)", len(msgs))
		}
		var coordMail []byte
		for i, r := range rcpts {
			if len(r) != 1 {
				t.Errorf("recipients %v", r)
			}
			if r[0] == "yamada@city.hino.example" {
				coordMail = msgs[i]
			}
		}
		if coordMail == nil {
			t.Fatalf("no mail for the coordinator: %v", rcpts)
		}
		m, err := netmail.ReadMessage(bytes.NewReader(coordMail))
		if err != nil {
			t.Fatal(err)
		}
		subj, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
		if err != nil || subj != "【日野市】6月3日（火）の訪問予定とフォローアップ（期限切れ1件・訪問1件）" {
			t.Errorf("Subject %q (%v)", subj, err)
		}
		to, err := m.Header.AddressList("To")
		if err != nil || len(to) != 1 || to[0].Name != "山田 太郎" || to[0].Address != "yamada@city.hino.example" {
			t.Errorf("To %v (%v)", to, err)
		}
		from, _ := m.Header.AddressList("From")
		if len(from) != 1 || from[0].Name != "日野市 産業振興課" {
			t.Errorf("From %v", from)
		}
		if ct := m.Header.Get("Content-Type"); ct != `text/plain; charset="UTF-8"` || m.Header.Get("Content-Transfer-Encoding") != "base64" ||
			m.Header.Get("MIME-Version") != "1.0" || m.Header.Get("Message-ID") == "" || m.Header.Get("X-Mieruka-Kind") != "visit-digest" {
			t.Errorf("headers: %v", m.Header)
		}
		if d, err := m.Header.Date(); err != nil || d.IsZero() {
			t.Errorf("Date: %v", err)
		}
		body, _ := io.ReadAll(m.Body)
		text, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(string(body)), ""))
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"山田 太郎 様", "■ 期限を過ぎたフォローアップ（1件）", "後継者が決まっていない", "4日超過",
			"■ 今後7日間の訪問予定（1件）", "6月5日（木）14:00〜15:30 株式会社日野精工（目的：設備更新の相談） 同行：田中 誠", "https://mieruka.example.jp/staff/visits/"} {
			if !strings.Contains(string(text), want) {
				t.Errorf("the digest lacks %q:\n%s", want, text)
			}
		}
		if strings.Contains(string(text), "社長は70歳") {
			t.Error("visit notes leaked into the digest")
		}

		// Running the day's digest job again sends nothing more.
		if _, err := q.Enqueue(ctx, nil, jobs.NewJob{Kind: visit.JobDigest, Municipality: hino, Payload: map[string]string{"municipality": hino, "day": "2025-06-03"}}); err != nil {
			t.Fatal(err)
		}
		q.Drain(ctx)
		f.now = f.now.Add(5 * time.Hour)
		if n, _ := f.v.ScheduleDigests(ctx, q); n != 0 {
			t.Errorf("rescheduled the same day: %d", n)
		}
		q.Drain(ctx)
		if msgs, _ := srv.messages(); len(msgs) != 2 {
			t.Errorf("%d mails after running the day's digest again", len(msgs))
		}

		// The next day the server fails: the mails are retried, then fail
		// visibly, and a retry once the server is back delivers them once.
		srv.setFailing(true)
		f.now = time.Date(2025, 6, 4, 7, 30, 0, 0, f.now.Location())
		if n, _ := f.v.ScheduleDigests(ctx, q); n != 2 {
			t.Fatalf("next day: %d", n)
		}
		if err := q.Drain(ctx); err != nil {
			t.Fatal(err)
		}
		failed, err := q.List(ctx, hino, mail.JobKind, jobs.Failed, 10)
		if err != nil || len(failed) != 2 {
			t.Fatalf("failed mail jobs: %d %v", len(failed), err)
		}
		for _, j := range failed {
			if j.Attempts != j.MaxAttempts || !strings.Contains(j.LastError, "451") {
				t.Errorf("failed job: %d/%d attempts, error %q", j.Attempts, j.MaxAttempts, j.LastError)
			}
		}
		srv.setFailing(false)
		for _, j := range failed {
			if err := q.Retry(ctx, hino, j.ID); err != nil {
				t.Fatal(err)
			}
		}
		if err := q.Drain(ctx); err != nil {
			t.Fatal(err)
		}
		msgs, _ = srv.messages()
		if len(msgs) != 4 {
			t.Errorf("%d mails after the retry, want 4", len(msgs))
		}
		// A member's request through the account reaches the staff inbox,
		// queued with the consultation (and so sent or failed visibly).
		if _, err := f.v.CreateConsultation(ctx, f.member, visit.ConsultationInput{Category: visit.CatSuccession, Subject: "後継者の相談", Request: "長男に継がせたい"}); err != nil {
			t.Fatal(err)
		}
		if err := q.Drain(ctx); err != nil {
			t.Fatal(err)
		}
		msgs, rcpts = srv.messages()
		if len(msgs) != 5 || rcpts[4][0] != "sangyo@city.hino.example" {
			t.Fatalf("staff inbox: %d mails, last to %v", len(msgs), rcpts[len(rcpts)-1])
		}
		inbox, _ := netmail.ReadMessage(bytes.NewReader(msgs[4]))
		if s, _ := new(mime.WordDecoder).DecodeHeader(inbox.Header.Get("Subject")); s != "【相談受付】株式会社日野精工：後継者の相談" {
			t.Errorf("staff inbox subject %q", s)
		}
		last, _ := netmail.ReadMessage(bytes.NewReader(msgs[3]))
		if s, _ := new(mime.WordDecoder).DecodeHeader(last.Header.Get("Subject")); !strings.Contains(s, "6月4日（水）") {
			t.Errorf("the retried digest: %q", s)
		}
	})
}
