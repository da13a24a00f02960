package web

import (
	"net/http"

	"mieruka/internal/auth"
	"mieruka/internal/httpx"
	"mieruka/internal/org"
)

type historyEntry struct {
	auth.HistoryEntry
	Changes []fieldChange
}

type historyData struct {
	O       org.Organization
	Entries []historyEntry
}

func (s *Server) orgHistory(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	o, ok := s.orgOfPath(w, r, q)
	if !ok {
		return
	}
	h, err := s.Orgs.History(r.Context(), q.Actor, o.ID)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	d := historyData{O: o}
	for _, e := range h {
		d.Entries = append(d.Entries, historyEntry{HistoryEntry: e, Changes: diffAudit(e.Before, e.After)})
	}
	s.render(w, r, http.StatusOK, "org_history", s.page(r, q, q.T("変更履歴: ", "History: ")+o.Profile.Name, "organizations", d))
}

// actionLabels name the audit actions for people, in Japanese and English.
var (
	actionLabelsJA = map[string]string{
		"organization.create": "登録", "organization.update": "編集", "organization.draft": "下書き保存（企業）",
		"organization.submit": "承認申請（企業）", "organization.approve": "承認", "organization.reject": "差し戻し",
		"organization.publish": "公開", "organization.unpublish": "非公開化", "organization.archive": "アーカイブ",
		"organization.restore": "利用再開", "organization.nta_update": "国税庁データによる更新", "organization.import": "取込",
		"user.create": "ユーザー登録", "user.password": "パスワード設定", "user.disable": "ユーザー無効化", "user.enable": "ユーザー有効化",
		"token.create": "APIトークン作成", "token.revoke": "APIトークン取消", "taxonomy.seed": "分類の初期設定", "taxonomy.save": "分類の用語を保存",
		"taxonomy.delete": "分類の用語を削除", "municipality.create": "自治体の登録", "municipality.settings": "自治体の設定",
		"organization.feature": "トップページでの紹介", "visit.create": "訪問の記録", "visit.update": "訪問の更新",
		"company_issue.create": "課題の登録", "company_issue.update": "課題の更新", "company_issue.referred": "課題の取次ぎ",
		"consultation.create": "相談の受付", "consultation.update": "相談の更新", "consultation.referred": "相談の取次ぎ",
		"referral.create": "支援機関への紹介", "referral.update": "紹介の結果", "calendar_feed.create": "カレンダー配信の作成", "calendar_feed.revoke": "カレンダー配信の停止",
		"synonym.save": "同義語の保存", "synonym.delete": "同義語の削除", "visit.import": "訪問記録の一括取込", "visit.digest": "訪問予定のお知らせメール",
	}
	actionLabelsEN = map[string]string{
		"organization.create": "Created", "organization.update": "Edited", "organization.draft": "Draft saved (member)",
		"organization.submit": "Sent for approval (member)", "organization.approve": "Approved", "organization.reject": "Sent back",
		"organization.publish": "Published", "organization.unpublish": "Unpublished", "organization.archive": "Archived",
		"organization.restore": "Restored", "organization.nta_update": "Updated from the NTA data", "organization.import": "Imported",
		"user.create": "User added", "user.password": "Password set", "user.disable": "User disabled", "user.enable": "User enabled",
		"token.create": "API token created", "token.revoke": "API token revoked", "taxonomy.seed": "Taxonomy set up", "taxonomy.save": "Term saved",
		"taxonomy.delete": "Term deleted", "municipality.create": "Municipality added", "municipality.settings": "Settings changed",
		"organization.feature": "Featured on the home page", "visit.create": "Visit recorded", "visit.update": "Visit updated",
		"company_issue.create": "Issue recorded", "company_issue.update": "Issue updated", "company_issue.referred": "Issue referred",
		"consultation.create": "Consultation received", "consultation.update": "Consultation updated", "consultation.referred": "Consultation referred",
		"referral.create": "Referred to an agency", "referral.update": "Referral outcome", "calendar_feed.create": "Calendar feed made", "calendar_feed.revoke": "Calendar feed revoked",
		"synonym.save": "Synonyms saved", "synonym.delete": "Synonyms deleted", "visit.import": "Visits imported", "visit.digest": "Daily digest mailed",
	}
)

// actionLabel names an audit action for people.
func actionLabel(action, lang string) string {
	m := actionLabelsJA
	if lang == "en" {
		m = actionLabelsEN
	}
	if l, ok := m[action]; ok {
		return l
	}
	return action
}
