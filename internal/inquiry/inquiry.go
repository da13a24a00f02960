// Package inquiry takes the questions visitors of the public directory send
// to a company or lab (問い合わせ): stored first, then mailed to the
// organization's contact and copied to the city's staff inbox by background
// jobs with retries, so that staff can see every inquiry and whether it was
// delivered.
package inquiry

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"mieruka/internal/auth"
	"mieruka/internal/errs"
	"mieruka/internal/jobs"
	imail "mieruka/internal/mail"
	"mieruka/internal/municipality"
	"mieruka/internal/org"
	"mieruka/internal/store"
)

// Inquiry is one message from a visitor.
type Inquiry struct {
	ID             int64     `json:"id"`
	Municipality   string    `json:"municipality_code"`
	OrganizationID int64     `json:"organization_id"`
	Organization   string    `json:"organization"` // name, for lists
	SenderName     string    `json:"sender_name"`
	SenderCompany  string    `json:"sender_company,omitempty"`
	SenderEmail    string    `json:"sender_email"`
	SenderPhone    string    `json:"sender_phone,omitempty"`
	Subject        string    `json:"subject"`
	Body           string    `json:"body"`
	Lang           string    `json:"lang"`
	CreatedAt      time.Time `json:"created_at"`
	// Delivery: the state of the two mail jobs.
	ToStatus   jobs.Status `json:"to_status,omitempty"`
	CopyStatus jobs.Status `json:"copy_status,omitempty"`
	ToError    string      `json:"to_error,omitempty"`
	ToJobID    int64       `json:"to_job_id,omitempty"`
	CopyJobID  int64       `json:"copy_job_id,omitempty"`
}

// Form is what a visitor submits. Website is the honeypot: a field people
// do not see and bots fill in.
type Form struct {
	Name, Company, Email, Phone, Subject, Body string
	Website                                    string
	Lang                                       string
}

// Limits of the form and of how often one address may send.
const (
	maxName    = 100
	maxSubject = 150
	maxBody    = 4000
	PerHour    = 5  // inquiries from one IP address in an hour
	PerDay     = 10 // inquiries from one e-mail address in a day
)

// Service stores and sends inquiries.
type Service struct {
	DB             *store.DB
	Orgs           *org.Service
	Municipalities *municipality.Service
	Mailer         *imail.Mailer
	BaseURL        string
}

// ErrSpam is returned (as a plain success to the sender) when the honeypot
// was filled: bots are not told they were caught.
var ErrSpam = errors.New("inquiry: honeypot filled")

func clean(s string) string {
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) && r != '\n' && r != '\t' {
			return -1
		}
		return r
	}, strings.ReplaceAll(s, "\r\n", "\n")))
}

func oneLine(s string) string { return strings.Join(strings.Fields(clean(s)), " ") }

// Check validates and cleans a form, with field errors in both languages.
func (f *Form) Check() error {
	f.Name, f.Company, f.Subject = oneLine(f.Name), oneLine(f.Company), oneLine(f.Subject)
	f.Email, f.Phone, f.Body = strings.TrimSpace(f.Email), oneLine(f.Phone), clean(f.Body)
	var fe errs.Fields
	length := func(field, v string, max int, required bool, ja, en string) {
		n := utf8.RuneCountInString(v)
		switch {
		case required && n == 0:
			fe.Add(field, ja+"を入力してください", "Enter "+en)
		case n > max:
			fe.Add(field, fmt.Sprintf("%sは%d文字以内にしてください（現在%d文字）", ja, max, n), fmt.Sprintf("%s must be at most %d characters (now %d)", strings.ToUpper(en[:1])+en[1:], max, n))
		}
	}
	length("name", f.Name, maxName, true, "お名前", "your name")
	length("company", f.Company, maxName, false, "会社名・所属", "your company")
	length("subject", f.Subject, maxSubject, true, "件名", "a subject")
	length("body", f.Body, maxBody, true, "お問い合わせ内容", "your message")
	if a, err := mail.ParseAddress(f.Email); err != nil || a.Address != f.Email || !strings.Contains(f.Email[strings.LastIndexByte(f.Email, '@')+1:], ".") {
		fe.Add("email", "メールアドレスの形式が正しくありません（例: taro@example.co.jp）", "The e-mail address is not valid (e.g. taro@example.com)")
	}
	if f.Phone != "" && strings.Trim(f.Phone, "0123456789+-() ") != "" {
		fe.Add("phone", "電話番号は数字とハイフンで入力してください", "Write the phone number with digits and hyphens")
	}
	if f.Lang != "en" {
		f.Lang = "ja"
	}
	return fe.Err()
}

// Send stores an inquiry to a published company or lab of the municipality
// and queues its two mails, all in one transaction: an inquiry is either
// stored with its mails on their way, or not at all.
func (s *Service) Send(ctx context.Context, municipality string, orgID int64, f Form, ip string) (Inquiry, error) {
	if f.Website != "" {
		return Inquiry{}, ErrSpam
	}
	if err := f.Check(); err != nil {
		return Inquiry{}, err
	}
	pub := auth.Anonymous(municipality)
	o, err := s.Orgs.Get(ctx, pub, orgID)
	if err != nil {
		return Inquiry{}, err
	}
	if o.Kind != org.KindCompany && o.Kind != org.KindLab {
		return Inquiry{}, errs.NotFoundf("問い合わせ先が見つかりません", "No such company or lab")
	}
	m, err := s.Municipalities.Get(ctx, municipality)
	if err != nil {
		return Inquiry{}, err
	}
	// Rate limits: per IP address and per sender address.
	var byIP, byEmail int
	err = s.DB.R.QueryRowContext(ctx, s.DB.Rebind(`SELECT
		(SELECT COUNT(*) FROM inquiries WHERE ip = ? AND created_at > ?),
		(SELECT COUNT(*) FROM inquiries WHERE sender_email = ? AND created_at > ?)`),
		ip, store.Now().Add(-time.Hour), strings.ToLower(f.Email), store.Now().Add(-24*time.Hour)).Scan(&byIP, &byEmail)
	if err != nil {
		return Inquiry{}, errs.Wrap(err, "count inquiries")
	}
	if byIP >= PerHour || byEmail >= PerDay {
		return Inquiry{}, errs.New(errs.RateLimited, "短い時間に多くのお問い合わせがありました。時間をおいて、もう一度お送りください", "Too many inquiries in a short time. Please try again later")
	}
	// Where the mail goes: the organization's contacts (all of them, as they
	// stand in the registry, whatever the public sees), else the staff only.
	full, err := s.Orgs.Get(ctx, auth.System("inquiry", municipality), orgID)
	if err != nil {
		return Inquiry{}, err
	}
	var to []string
	for _, c := range full.Profile.Contacts {
		if c.Email != "" {
			to = append(to, c.Email)
		}
	}
	inbox := m.Settings.StaffInbox
	in := Inquiry{Municipality: municipality, OrganizationID: orgID, Organization: o.Profile.Name, SenderName: f.Name, SenderCompany: f.Company,
		SenderEmail: strings.ToLower(f.Email), SenderPhone: f.Phone, Subject: f.Subject, Body: f.Body, Lang: f.Lang, CreatedAt: store.Now()}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, s.DB.Rebind(`INSERT INTO inquiries (municipality_code, organization_id, sender_name, sender_company, sender_email, sender_phone, subject, body, lang, ip, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			in.Municipality, in.OrganizationID, in.SenderName, in.SenderCompany, in.SenderEmail, in.SenderPhone, in.Subject, in.Body, in.Lang, ip, in.CreatedAt).Scan(&in.ID); err != nil {
			return err
		}
		if len(to) > 0 {
			id, err := s.Mailer.Enqueue(ctx, tx, municipality, s.message(m, full, in, to, false))
			if err != nil {
				return err
			}
			in.ToJobID = id
		}
		if inbox != "" || len(to) == 0 {
			rcpt := inbox
			if rcpt == "" {
				rcpt = s.Mailer.From // nobody else to tell: at least the operator
			}
			id, err := s.Mailer.Enqueue(ctx, tx, municipality, s.message(m, full, in, []string{rcpt}, true))
			if err != nil {
				return err
			}
			in.CopyJobID = id
		}
		_, err := tx.ExecContext(ctx, s.DB.Rebind("UPDATE inquiries SET to_job_id = ?, copy_job_id = ? WHERE id = ?"), nullID(in.ToJobID), nullID(in.CopyJobID), in.ID)
		return err
	})
	if err != nil {
		return Inquiry{}, errs.Wrap(err, "store inquiry")
	}
	return in, nil
}

func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

// message is the mail to the organization, or the copy to staff.
func (s *Service) message(m municipality.Municipality, o org.Organization, in Inquiry, to []string, staffCopy bool) imail.Message {
	var b strings.Builder
	if staffCopy {
		fmt.Fprintf(&b, "%s 産業振興課 御中\n\n市内企業紹介サイトから %s へのお問い合わせがありました（控え）。\n\n", m.Name, o.Profile.Name)
	} else {
		fmt.Fprintf(&b, "%s ご担当者様\n\n%sの市内企業紹介サイトに掲載の貴社・貴研究室のページから、次のお問い合わせがありました。\nご返信は、お問い合わせいただいた方へ直接お願いいたします（このメールに返信すると、その方に届きます）。\n\n", o.Profile.Name, m.Name)
	}
	fmt.Fprintf(&b, "────────────────────\nお名前：%s\n", in.SenderName)
	if in.SenderCompany != "" {
		fmt.Fprintf(&b, "会社名・所属：%s\n", in.SenderCompany)
	}
	fmt.Fprintf(&b, "メール：%s\n", in.SenderEmail)
	if in.SenderPhone != "" {
		fmt.Fprintf(&b, "電話：%s\n", in.SenderPhone)
	}
	fmt.Fprintf(&b, "件名：%s\n受付日時：%s\n受付番号：%d\n────────────────────\n\n%s\n\n────────────────────\n", in.Subject, in.CreatedAt.In(jst).Format("2006年1月2日 15:04"), in.ID, in.Body)
	fmt.Fprintf(&b, "このメールは %s 産業振興課の「みえる化」から送信しています。\n%s\n", m.Name, s.BaseURL)
	subject := fmt.Sprintf("【%s 市内企業紹介サイト】お問い合わせ：%s", m.Name, in.Subject)
	if staffCopy {
		subject = fmt.Sprintf("【控え】%s 宛のお問い合わせ：%s", o.Profile.Name, in.Subject)
	}
	return imail.Message{To: to, ReplyTo: in.SenderEmail, Subject: subject, Text: b.String(), Headers: map[string]string{"X-Mieruka-Inquiry": fmt.Sprint(in.ID)}}
}

var jst = time.FixedZone("JST", 9*3600)

// List returns the newest inquiries of the staff's municipality with the
// state of their mails; organizationID narrows it to one organization.
func (s *Service) List(ctx context.Context, a auth.Actor, organizationID int64, limit int) ([]Inquiry, error) {
	if !a.Can(auth.PermRegistryRead) {
		return nil, errs.New(errs.Forbidden, "問い合わせを見る権限がありません", "You may not see inquiries")
	}
	rows, err := s.DB.R.QueryContext(ctx, s.DB.Rebind(`SELECT i.id, i.municipality_code, i.organization_id, o.name, i.sender_name, i.sender_company, i.sender_email, i.sender_phone,
		i.subject, i.body, i.lang, i.created_at, COALESCE(i.to_job_id, 0), COALESCE(i.copy_job_id, 0),
		COALESCE(t.status, ''), COALESCE(t.last_error, ''), COALESCE(c.status, '')
		FROM inquiries i JOIN organizations o ON o.id = i.organization_id
		LEFT JOIN jobs t ON t.id = i.to_job_id LEFT JOIN jobs c ON c.id = i.copy_job_id
		WHERE i.municipality_code = ? AND (? = 0 OR i.organization_id = ?) ORDER BY i.id DESC LIMIT ?`), a.Municipality, organizationID, organizationID, limit)
	if err != nil {
		return nil, errs.Wrap(err, "list inquiries")
	}
	defer rows.Close()
	var out []Inquiry
	for rows.Next() {
		var in Inquiry
		if err := rows.Scan(&in.ID, &in.Municipality, &in.OrganizationID, &in.Organization, &in.SenderName, &in.SenderCompany, &in.SenderEmail, &in.SenderPhone,
			&in.Subject, &in.Body, &in.Lang, &in.CreatedAt, &in.ToJobID, &in.CopyJobID, &in.ToStatus, &in.ToError, &in.CopyStatus); err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	return out, rows.Err()
}
