package visit

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base32"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"mieruka/internal/auth"
	"mieruka/internal/errs"
	"mieruka/internal/org"
)

// Feed is a personal iCalendar feed: a secret URL that calendar
// applications subscribe to, revocable at any time.
type Feed struct {
	ID         int64      `json:"id"`
	UserID     int64      `json:"user_id"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
}

// FeedPrefix starts every feed secret, so that a leaked one is recognisable.
const FeedPrefix = "cal_"

var errFeedNotFound = errs.NotFoundf("カレンダー配信が見つかりません", "No such calendar feed")

// FeedPath is the path of a feed's URL.
func FeedPath(secret string) string { return "/calendar/" + secret + ".ics" }

// CreateFeed makes a new calendar feed for the actor and returns its secret
// (shown once: only its hash is kept).
func (s *Service) CreateFeed(ctx context.Context, a auth.Actor, name string) (string, Feed, error) {
	if !a.Can(auth.PermVisitAttended) || a.UserID == 0 {
		return "", Feed{}, errNoRead
	}
	name = cleanLine(name)
	if len([]rune(name)) > 100 {
		return "", Feed{}, errs.Fields{{Field: "name", JA: "名前は100文字以内にしてください", EN: "The name must be at most 100 characters"}}.Err()
	}
	b := make([]byte, 20)
	if _, err := rand.Read(b); err != nil {
		return "", Feed{}, err
	}
	secret := FeedPrefix + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
	f := Feed{UserID: a.UserID, Name: name, CreatedAt: s.now()}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, s.q.InsertFeed, a.Municipality, a.UserID, name, hashSecret(secret), f.CreatedAt).Scan(&f.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "calendar_feed.create", "calendar_feed", f.ID, nil, f)
	})
	if err != nil {
		return "", Feed{}, errs.Wrap(err, "create calendar feed")
	}
	return secret, f, nil
}

// Feeds lists the actor's calendar feeds.
func (s *Service) Feeds(ctx context.Context, a auth.Actor) ([]Feed, error) {
	if !a.Can(auth.PermVisitAttended) {
		return nil, errNoRead
	}
	rows, err := s.db.R.QueryContext(ctx, s.q.FeedsOfUser, a.UserID, a.Municipality)
	if err != nil {
		return nil, errs.Wrap(err, "list calendar feeds")
	}
	defer rows.Close()
	out := []Feed{}
	for rows.Next() {
		var f Feed
		var used, revoked sql.NullTime
		if err := rows.Scan(&f.ID, &f.UserID, &f.Name, &f.CreatedAt, &used, &revoked); err != nil {
			return nil, err
		}
		f.LastUsedAt, f.RevokedAt = timePtr(used), timePtr(revoked)
		out = append(out, f)
	}
	return out, rows.Err()
}

// RevokeFeed stops a feed of the actor's: its URL answers 404 from now on.
func (s *Service) RevokeFeed(ctx context.Context, a auth.Actor, id int64) error {
	if !a.Can(auth.PermVisitAttended) {
		return errNoRead
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q.RevokeFeed, s.now(), id, a.UserID, a.Municipality)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errFeedNotFound
		}
		return s.audit(ctx, tx, a, "calendar_feed.revoke", "calendar_feed", id, nil, nil)
	})
}

func hashSecret(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// FeedICS returns the calendar of a feed's owner: their visits from two
// months back to a year ahead (timed, in Japan time; cancelled ones marked
// so), and their open follow-ups (all-day). Only what a calendar needs is
// in it — company, purpose, who goes, a link — never the notes: calendars
// are synchronised to places the city does not control.
func (s *Service) FeedICS(ctx context.Context, secret string) ([]byte, error) {
	secret = strings.TrimSuffix(secret, ".ics")
	if !strings.HasPrefix(secret, FeedPrefix) || len(secret) > 64 {
		return nil, errFeedNotFound
	}
	var feedID, userID int64
	var muni, role, name, email, lang string
	var lastUsed dbTime
	err := s.db.R.QueryRowContext(ctx, s.q.FeedByToken, hashSecret(secret)).Scan(&feedID, &userID, &muni, &role, &name, &email, &lang, &lastUsed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errFeedNotFound
	}
	if err != nil {
		return nil, errs.Wrap(err, "calendar feed")
	}
	a := auth.Actor{UserID: userID, Role: auth.Role(role), Municipality: muni, Email: email, Name: name, Lang: lang}
	if !a.Can(auth.PermVisitAttended) {
		return nil, errFeedNotFound
	}
	now := s.now()
	// Record use at most every few minutes, as API tokens do: calendar
	// applications poll, and each write would queue behind SQLite's writer.
	if !lastUsed.Valid || now.Sub(lastUsed.Time) > 5*time.Minute {
		s.db.W.ExecContext(ctx, s.q.TouchFeed, now, feedID)
	}

	rows, err := s.db.R.QueryContext(ctx, s.q.FeedVisits, muni, now.AddDate(0, -2, 0), now.AddDate(1, 0, 0), userID)
	if err != nil {
		return nil, errs.Wrap(err, "calendar visits")
	}
	var vs []Visit
	locations := map[int64]string{}
	for rows.Next() {
		var v Visit
		var profile string
		if err := rows.Scan(&v.ID, &v.Status, &v.StartsAt, &v.Minutes, &v.Purpose, &v.Version, &v.UpdatedAt, &v.OrganizationName, &profile); err != nil {
			rows.Close()
			return nil, err
		}
		var p org.Profile
		if json.Unmarshal([]byte(profile), &p) == nil {
			locations[v.ID] = strings.TrimSpace(p.Address.Line())
		}
		vs = append(vs, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := s.fillAttendees(ctx, vs); err != nil {
		return nil, err
	}
	en := lang == "en"
	base := strings.TrimSuffix(s.BaseURL, "/")
	host := "mieruka"
	if u, err := url.Parse(base); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	var w icsWriter
	who := name
	if who == "" {
		who = email
	}
	if en {
		w.begin("Visits and follow-ups (" + who + ")")
	} else {
		w.begin("企業訪問とフォローアップ（" + who + "）")
	}
	for _, v := range vs {
		var people []string
		for _, x := range v.Attendees {
			people = append(people, x.Name)
		}
		e := icsEvent{UID: fmt.Sprintf("visit-%d@%s", v.ID, host), Stamp: now, Modified: v.UpdatedAt, Start: v.StartsAt, End: v.EndsAt(),
			Location: locations[v.ID], URL: fmt.Sprintf("%s/staff/visits/%d", base, v.ID), Sequence: v.Version - 1, Status: "CONFIRMED", AlarmMinutes: 60}
		if en {
			e.Summary = "Visit: " + v.OrganizationName
			e.Description = "Purpose: " + v.Purpose + "\nAttending: " + strings.Join(people, ", ")
			e.Categories = "Company visit"
		} else {
			e.Summary = "企業訪問：" + v.OrganizationName
			e.Description = "目的：" + v.Purpose + "\n出席：" + strings.Join(people, "、")
			e.Categories = "企業訪問"
		}
		if v.Status == VisitCancelled {
			e.Status = "CANCELLED"
			e.Summary = map[bool]string{true: "[Cancelled] ", false: "【中止】"}[en] + e.Summary
		}
		w.event(e)
	}
	if a.Can(auth.PermVisitRead) {
		fs, err := s.followUps(ctx, muni, userID, s.today().AddDays(366))
		if err != nil {
			return nil, err
		}
		for _, f := range fs {
			e := icsEvent{UID: fmt.Sprintf("%s-%d-followup@%s", strings.ReplaceAll(f.Kind, "_", "-"), f.ID, host), Stamp: now, Day: f.Due,
				URL: base + f.URL, Transparent: true}
			if en {
				e.Summary = "Follow up: " + f.OrganizationName + " — " + f.TitleLabel("en")
				e.Description = f.KindLabel("en") + " (" + f.StatusLabel("en") + ")"
				e.Categories = "Follow-up"
			} else {
				e.Summary = "フォローアップ：" + f.OrganizationName + "「" + f.TitleLabel("ja") + "」"
				e.Description = f.KindLabel("ja") + "（" + f.StatusLabel("ja") + "）"
				e.Categories = "フォローアップ"
			}
			w.event(e)
		}
	}
	w.end()
	return w.b.Bytes(), nil
}
