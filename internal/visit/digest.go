package visit

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/mail"
	"strings"

	"mieruka/internal/auth"
	"mieruka/internal/errs"
	"mieruka/internal/jobs"
	"mieruka/internal/jp"
	mmail "mieruka/internal/mail"
)

// JobDigest is the kind of the background job that mails a municipality's
// daily digest: each person's overdue follow-ups and the week's visits.
const JobDigest = "visit.digest"

// DigestDays is how far ahead the digest looks.
const DigestDays = 7

// RegisterJobs installs the digest's job handler on the queue.
func (s *Service) RegisterJobs(q *jobs.Queue) {
	q.Register(JobDigest, s.runDigest)
}

// ScheduleDigests queues today's digest of every municipality whose digest
// hour (Japan time) has passed. It records the day's run in the same
// transaction as the job, keyed by municipality and day, so calling it
// again — from a ticker, after a restart, from several instances at once —
// never queues a second digest for the same day. It returns how many it
// queued.
func (s *Service) ScheduleDigests(ctx context.Context, queue *jobs.Queue) (int, error) {
	now := s.Now().In(jp.JST)
	if now.Hour() < s.DigestHour {
		return 0, nil
	}
	day := string(DateOf(now))
	rows, err := s.db.R.QueryContext(ctx, s.q.Municipalites)
	if err != nil {
		return 0, errs.Wrap(err, "digest: municipalities")
	}
	var codes []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			rows.Close()
			return 0, err
		}
		codes = append(codes, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	n := 0
	for _, code := range codes {
		s.mu.RLock()
		done := s.scheduled[code] == day
		s.mu.RUnlock()
		if done {
			continue // no write transaction a minute, all day long, for nothing
		}
		err := s.db.Tx(ctx, func(tx *sql.Tx) error {
			res, err := tx.ExecContext(ctx, s.q.ScheduleRun, code, day, s.now())
			if err != nil {
				return err
			}
			if k, _ := res.RowsAffected(); k == 0 {
				return nil // already scheduled today
			}
			if _, err := queue.Enqueue(ctx, tx, jobs.NewJob{Kind: JobDigest, Municipality: code, Payload: digestPayload{Municipality: code, Day: day}, MaxAttempts: 5}); err != nil {
				return err
			}
			n++
			return nil
		})
		if err != nil {
			return n, errs.Wrap(err, "schedule digest")
		}
		s.mu.Lock()
		if s.scheduled == nil {
			s.scheduled = map[string]string{}
		}
		s.scheduled[code] = day
		s.mu.Unlock()
	}
	return n, nil
}

type digestPayload struct {
	Municipality string `json:"municipality"`
	Day          string `json:"day"`
}

// runDigest composes a municipality's digests and queues one mail per
// person, all in one transaction that also marks the day's run as queued:
// if the job runs again (a retry, another instance) nothing is sent twice;
// if sending fails, each mail is its own job that is retried and ends, at
// worst, in a visible failed state with the message kept.
func (s *Service) runDigest(ctx context.Context, j *jobs.Job) error {
	var p digestPayload
	if err := json.Unmarshal(j.Payload, &p); err != nil || p.Municipality == "" {
		return jobs.Permanent(fmt.Errorf("digest payload %s: %v", j.Payload, err))
	}
	if s.Mailer == nil {
		j.SetResult("no mailer")
		return nil
	}
	var queued int
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q.ClaimRun, s.now(), j.ID, p.Municipality, p.Day)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // this day's digest has been queued already
		}
		ds, err := s.Digests(ctx, p.Municipality, Date(p.Day))
		if err != nil {
			return err
		}
		muniName := p.Municipality
		if m, err := s.munis.Get(ctx, p.Municipality); err == nil {
			muniName = m.Name
		}
		for _, d := range ds {
			msg, ok := s.digestMail(d, muniName)
			if !ok {
				continue
			}
			if _, err := s.Mailer.Enqueue(ctx, tx, p.Municipality, msg); err != nil {
				return err
			}
			queued++
		}
		if _, err := tx.ExecContext(ctx, s.q.FinishRun, queued, p.Municipality, p.Day); err != nil {
			return err
		}
		return s.auth.Audit(ctx, tx, auth.System("digest", p.Municipality), auth.AuditEntry{Municipality: p.Municipality, Action: "visit.digest", Entity: "municipality", EntityID: p.Municipality,
			After: map[string]any{"day": p.Day, "mails": queued}})
	})
	if err != nil {
		return err
	}
	j.SetResult(fmt.Sprintf("%s: %d", p.Day, queued))
	return nil
}

// Digest is one person's daily digest.
type Digest struct {
	User     UserBrief
	Lang     string
	Day      Date
	Upcoming []Visit
	Overdue  []FollowUp
	DueSoon  []FollowUp
}

// Empty reports whether there is nothing to tell.
func (d Digest) Empty() bool { return len(d.Upcoming)+len(d.Overdue)+len(d.DueSoon) == 0 }

// Digests gathers the digests of a municipality's staff, coordinators and
// bank staff for a day: their planned visits in the week from that day, and
// (not for bank staff) their follow-ups overdue or due within the week.
func (s *Service) Digests(ctx context.Context, municipality string, day Date) ([]Digest, error) {
	rows, err := s.db.R.QueryContext(ctx, s.q.DigestUsers, municipality)
	if err != nil {
		return nil, errs.Wrap(err, "digest users")
	}
	var ds []Digest
	at := map[int64]int{}
	for rows.Next() {
		var d Digest
		if err := rows.Scan(&d.User.ID, &d.User.Role, &d.User.Name, &d.User.Email, &d.Lang); err != nil {
			rows.Close()
			return nil, err
		}
		d.Day = day
		at[d.User.ID] = len(ds)
		ds = append(ds, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	start := day.Time()
	vs, err := s.plannedVisits(ctx, s.db.R, municipality, 0, start, start.AddDate(0, 0, DigestDays))
	if err != nil {
		return nil, err
	}
	for _, v := range vs {
		for _, x := range v.Attendees {
			if i, ok := at[x.UserID]; ok {
				ds[i].Upcoming = append(ds[i].Upcoming, v)
			}
		}
	}
	fs, err := s.followUps(ctx, municipality, 0, day.AddDays(DigestDays))
	if err != nil {
		return nil, err
	}
	for _, f := range fs {
		i, ok := at[f.OwnerID]
		if !ok || ds[i].User.Role == auth.RoleBank {
			continue
		}
		if f.Due.Before(day) {
			ds[i].Overdue = append(ds[i].Overdue, f)
		} else {
			ds[i].DueSoon = append(ds[i].DueSoon, f)
		}
	}
	return ds, nil
}

// digestMail writes a digest as a mail, in the person's language; an empty
// digest is not sent.
func (s *Service) digestMail(d Digest, municipality string) (mmail.Message, bool) {
	if d.Empty() || d.User.Email == "" {
		return mmail.Message{}, false
	}
	base := strings.TrimSuffix(s.BaseURL, "/")
	en := d.Lang == "en"
	day := d.Day.Time()
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	to := (&mail.Address{Name: d.User.Name, Address: d.User.Email}).String()
	var subject string
	if en {
		subject = fmt.Sprintf("[%s] Visits and follow-ups for %s (%d overdue, %d visits)", municipality, day.Format("Mon 2 Jan"), len(d.Overdue), len(d.Upcoming))
		line("%s,", d.User.Label())
		line("")
		line("Your visits and follow-ups for %s.", day.Format("Monday 2 January 2006"))
	} else {
		subject = fmt.Sprintf("【%s】%d月%d日（%s）の訪問予定とフォローアップ（期限切れ%d件・訪問%d件）", municipality, day.Month(), day.Day(), weekdayJA[day.Weekday()], len(d.Overdue), len(d.Upcoming))
		line("%s 様", d.User.Label())
		line("")
		line("%s（%s曜日）の企業訪問の予定と、フォローアップの状況をお知らせします。", jp.FormatDateBoth(day), weekdayJA[day.Weekday()])
	}
	followUps := func(titleJA, titleEN string, list []FollowUp, late bool) {
		if len(list) == 0 {
			return
		}
		line("")
		if en {
			line("■ %s (%d)", titleEN, len(list))
		} else {
			line("■ %s（%d件）", titleJA, len(list))
		}
		for _, f := range list {
			due := f.Due.Time()
			if en {
				extra := ""
				if late {
					extra = fmt.Sprintf(", %d days late", f.DaysLate(d.Day))
				}
				line("・[%s] %s — %s (due %s%s)", f.KindLabel("en"), f.OrganizationName, f.TitleLabel("en"), due.Format("2 Jan"), extra)
			} else {
				extra := ""
				if late {
					extra = fmt.Sprintf("・%d日超過", f.DaysLate(d.Day))
				}
				line("・［%s］%s「%s」期限 %d月%d日（%s）%s", f.KindLabel("ja"), f.OrganizationName, f.TitleLabel("ja"), due.Month(), due.Day(), weekdayJA[due.Weekday()], extra)
			}
			line("　%s%s", base, f.URL)
		}
	}
	followUps("期限を過ぎたフォローアップ", "Overdue follow-ups", d.Overdue, true)
	if len(d.Upcoming) > 0 {
		line("")
		if en {
			line("■ Visits in the next %d days (%d)", DigestDays, len(d.Upcoming))
		} else {
			line("■ 今後%d日間の訪問予定（%d件）", DigestDays, len(d.Upcoming))
		}
		for _, v := range d.Upcoming {
			st, et := v.StartsAt.In(jp.JST), v.EndsAt().In(jp.JST)
			var others []string
			for _, x := range v.Attendees {
				if x.UserID != d.User.ID {
					others = append(others, x.Name)
				}
			}
			if en {
				with := ""
				if len(others) > 0 {
					with = " with " + strings.Join(others, ", ")
				}
				line("・%s %s–%s %s (%s)%s", st.Format("Mon 2 Jan"), st.Format("15:04"), et.Format("15:04"), v.OrganizationName, v.Purpose, with)
			} else {
				with := ""
				if len(others) > 0 {
					with = " 同行：" + strings.Join(others, "、")
				}
				line("・%d月%d日（%s）%s〜%s %s（目的：%s）%s", st.Month(), st.Day(), weekdayJA[st.Weekday()], st.Format("15:04"), et.Format("15:04"), v.OrganizationName, v.Purpose, with)
			}
			line("　%s/staff/visits/%d", base, v.ID)
		}
	}
	followUps(fmt.Sprintf("今後%d日間のフォローアップ", DigestDays), fmt.Sprintf("Follow-ups due in the next %d days", DigestDays), d.DueSoon, false)
	line("")
	if en {
		line("Planning: %s/staff/planning", base)
		line("")
		line("mieruka sends this every morning to staff, coordinators and bank staff who have visits or follow-ups.")
	} else {
		line("訪問計画: %s/staff/planning", base)
		line("")
		line("このメールは、訪問予定やフォローアップがある職員・コーディネーター・金融機関の担当者に mieruka が毎朝お送りしています。")
	}
	return mmail.Message{To: []string{to}, Subject: subject, Text: b.String(), Headers: map[string]string{"X-Mieruka-Kind": "visit-digest"}}, true
}
