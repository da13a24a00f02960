// Package mail composes and sends e-mail. With MIERUKA_SMTP_URL set it talks
// SMTP; without it (and always in demo mode) it writes .eml files to an
// outbox folder so that nothing leaves the machine by accident. Mail is sent
// by the "mail.send" background job, so a failing server means retries and
// a visible failed job, never a lost message.
package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net"
	"net/mail"
	"net/smtp"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"mieruka/internal/jobs"
	"mieruka/internal/store"
)

// Message is an e-mail to send. Text is the plain-text body.
type Message struct {
	To      []string          `json:"to"`
	Cc      []string          `json:"cc,omitempty"`
	ReplyTo string            `json:"reply_to,omitempty"`
	Subject string            `json:"subject"`
	Text    string            `json:"text"`
	Headers map[string]string `json:"headers,omitempty"` // extra headers, e.g. X-Mieruka-Kind
}

// Sender delivers composed messages.
type Sender interface {
	Send(ctx context.Context, from string, m Message) error
}

var jst = time.FixedZone("JST", 9*3600)

// Compose renders the message as RFC 5322 bytes: UTF-8 throughout, headers
// with non-ASCII text in RFC 2047 B-encoding (what Japanese mail clients
// expect), the body in base64 with CRLF line ends.
func Compose(from string, m Message, now time.Time) ([]byte, error) {
	fromAddr, err := mail.ParseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("from address %q: %w", from, err)
	}
	if len(m.To) == 0 {
		return nil, errors.New("no recipient")
	}
	var b bytes.Buffer
	h := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	h("From", formatAddress(fromAddr))
	list := func(addrs []string) (string, error) {
		var out []string
		for _, a := range addrs {
			pa, err := mail.ParseAddress(a)
			if err != nil {
				return "", fmt.Errorf("address %q: %w", a, err)
			}
			out = append(out, formatAddress(pa))
		}
		return strings.Join(out, ", "), nil
	}
	to, err := list(m.To)
	if err != nil {
		return nil, err
	}
	h("To", to)
	if len(m.Cc) > 0 {
		cc, err := list(m.Cc)
		if err != nil {
			return nil, err
		}
		h("Cc", cc)
	}
	if m.ReplyTo != "" {
		rt, err := list([]string{m.ReplyTo})
		if err != nil {
			return nil, err
		}
		h("Reply-To", rt)
	}
	h("Subject", mime.BEncoding.Encode("UTF-8", oneLine(m.Subject)))
	h("Date", now.In(jst).Format(time.RFC1123Z))
	id := make([]byte, 12)
	rand.Read(id)
	domain := fromAddr.Address[strings.LastIndexByte(fromAddr.Address, '@')+1:]
	h("Message-ID", "<"+hex.EncodeToString(id)+"@"+domain+">")
	h("MIME-Version", "1.0")
	h("Content-Type", `text/plain; charset="UTF-8"`)
	h("Content-Transfer-Encoding", "base64")
	for k, v := range m.Headers {
		if !strings.HasPrefix(k, "X-") || strings.ContainsAny(k+v, "\r\n") {
			return nil, fmt.Errorf("extra header %q: only single-line X- headers", k)
		}
		h(k, mime.BEncoding.Encode("UTF-8", v))
	}
	b.WriteString("\r\n")
	body := strings.ReplaceAll(strings.ReplaceAll(m.Text, "\r\n", "\n"), "\n", "\r\n")
	enc := base64.StdEncoding.EncodeToString([]byte(body))
	for len(enc) > 76 {
		b.WriteString(enc[:76])
		b.WriteString("\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc)
	b.WriteString("\r\n")
	return b.Bytes(), nil
}

func formatAddress(a *mail.Address) string {
	if a.Name == "" {
		return a.Address
	}
	return (&mail.Address{Name: a.Name, Address: a.Address}).String()
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func recipients(m Message) []string {
	var out []string
	for _, a := range append(append([]string{}, m.To...), m.Cc...) {
		if pa, err := mail.ParseAddress(a); err == nil {
			out = append(out, pa.Address)
		}
	}
	return out
}

// Outbox writes each message as an .eml file into a folder.
type Outbox struct{ Dir string }

// Send writes the message to the outbox folder.
func (o Outbox) Send(_ context.Context, from string, m Message) error {
	raw, err := Compose(from, m, time.Now())
	if err != nil {
		return err
	}
	if err := os.MkdirAll(o.Dir, 0o750); err != nil {
		return err
	}
	b := make([]byte, 4)
	rand.Read(b)
	name := time.Now().UTC().Format("20060102T150405.000000000") + "-" + hex.EncodeToString(b) + ".eml"
	tmp := filepath.Join(o.Dir, "."+name)
	if err := os.WriteFile(tmp, raw, 0o640); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(o.Dir, name))
}

// SMTP sends through a mail server. URL forms:
//
//	smtp://user:pass@host:587   STARTTLS when the server offers it
//	smtp://host:25?tls=none     never STARTTLS (a relay on localhost)
//	smtps://user:pass@host:465  TLS from the first byte
type SMTP struct {
	Host, Port string
	User, Pass string
	Implicit   bool // smtps
	NoTLS      bool
	Timeout    time.Duration
	TLSConfig  *tls.Config
}

// ParseURL reads an SMTP URL.
func ParseURL(raw string) (*SMTP, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, err
	}
	s := &SMTP{Host: u.Hostname(), Port: u.Port(), Timeout: 30 * time.Second}
	switch u.Scheme {
	case "smtp":
		if s.Port == "" {
			s.Port = "587"
		}
	case "smtps":
		s.Implicit = true
		if s.Port == "" {
			s.Port = "465"
		}
	default:
		return nil, fmt.Errorf("SMTP URL must start with smtp:// or smtps://, not %q", u.Scheme)
	}
	if s.Host == "" {
		return nil, errors.New("SMTP URL has no host")
	}
	if _, err := strconv.Atoi(s.Port); err != nil {
		return nil, fmt.Errorf("SMTP port %q", s.Port)
	}
	if u.User != nil {
		s.User = u.User.Username()
		s.Pass, _ = u.User.Password()
	}
	s.NoTLS = u.Query().Get("tls") == "none"
	s.TLSConfig = &tls.Config{ServerName: s.Host, MinVersion: tls.VersionTLS12}
	return s, nil
}

// Send delivers one message in one SMTP conversation.
func (s *SMTP) Send(ctx context.Context, from string, m Message) error {
	raw, err := Compose(from, m, time.Now())
	if err != nil {
		return err
	}
	fromAddr, _ := mail.ParseAddress(from)
	addr := net.JoinHostPort(s.Host, s.Port)
	d := net.Dialer{Timeout: s.Timeout}
	var conn net.Conn
	if s.Implicit {
		conn, err = (&tls.Dialer{NetDialer: &d, Config: s.TLSConfig}).DialContext(ctx, "tcp", addr)
	} else {
		conn, err = d.DialContext(ctx, "tcp", addr)
	}
	if err != nil {
		return fmt.Errorf("connect to %s: %w", addr, err)
	}
	deadline := time.Now().Add(s.Timeout)
	if dl, ok := ctx.Deadline(); ok && dl.Before(deadline) {
		deadline = dl
	}
	conn.SetDeadline(deadline)
	c, err := smtp.NewClient(conn, s.Host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("SMTP greeting: %w", err)
	}
	defer c.Close()
	if err := c.Hello("localhost"); err != nil {
		return err
	}
	if !s.Implicit && !s.NoTLS {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(s.TLSConfig); err != nil {
				return fmt.Errorf("STARTTLS: %w", err)
			}
		}
	}
	if s.User != "" {
		if err := c.Auth(smtp.PlainAuth("", s.User, s.Pass, s.Host)); err != nil {
			return fmt.Errorf("SMTP AUTH: %w", err)
		}
	}
	if err := c.Mail(fromAddr.Address); err != nil {
		return fmt.Errorf("MAIL FROM: %w", err)
	}
	for _, r := range recipients(m) {
		if err := c.Rcpt(r); err != nil {
			return fmt.Errorf("RCPT TO %s: %w", r, err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("DATA: %w", err)
	}
	if _, err := w.Write(raw); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("end of DATA: %w", err)
	}
	return c.Quit()
}

// JobKind is the kind of the background job that sends one message.
const JobKind = "mail.send"

// Mailer queues mail as jobs and sends it from the job handler.
type Mailer struct {
	From   string
	Sender Sender
	Queue  *jobs.Queue
}

// Register installs the mail job handler on the queue.
func (m *Mailer) Register() {
	m.Queue.Register(JobKind, func(ctx context.Context, j *jobs.Job) error {
		var msg Message
		if err := json.Unmarshal(j.Payload, &msg); err != nil {
			return jobs.Permanent(err)
		}
		if _, err := Compose(m.From, msg, time.Now()); err != nil {
			return jobs.Permanent(err)
		}
		if err := m.Sender.Send(ctx, m.From, msg); err != nil {
			return err
		}
		j.SetResult(strings.Join(recipients(msg), ", "))
		return nil
	})
}

// Enqueue queues a message; with tx, inside the caller's transaction.
func (m *Mailer) Enqueue(ctx context.Context, tx store.Querier, municipality string, msg Message) (int64, error) {
	if _, err := Compose(m.From, msg, time.Now()); err != nil {
		return 0, err
	}
	return m.Queue.Enqueue(ctx, tx, jobs.NewJob{Kind: JobKind, Municipality: municipality, Payload: msg, MaxAttempts: 8})
}
