package auth_test

import (
	"context"
	"strings"
	"testing"

	"mieruka/internal/auth"
	"mieruka/internal/errs"
	"mieruka/internal/municipality"
	"mieruka/internal/store"
	"mieruka/internal/store/storetest"
)

func setup(t *testing.T, db *store.DB) *auth.Service {
	t.Helper()
	ctx := context.Background()
	as, err := auth.NewService(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	ms := municipality.NewService(db, as)
	for _, c := range []string{"132128", "132012"} {
		if _, err := ms.Create(ctx, auth.System("test", c), municipality.Municipality{Code: c}); err != nil {
			t.Fatal(err)
		}
	}
	return as
}

func TestPasswordHash(t *testing.T) {
	h, err := auth.HashPassword("正しいパスワード123")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash format %q", h)
	}
	if !auth.CheckPassword(h, "正しいパスワード123") || auth.CheckPassword(h, "正しいパスワード124") || auth.CheckPassword("garbage", "x") {
		t.Error("CheckPassword is wrong")
	}
	h2, _ := auth.HashPassword("正しいパスワード123")
	if h == h2 {
		t.Error("two hashes of one password are equal: no salt")
	}
	if p := auth.GeneratePassword(); len(p) != 19 || strings.ContainsAny(p, "0O1lI") {
		t.Errorf("generated password %q", p)
	}
}

func TestLoginSessionsAndRateLimit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		as := setup(t, db)
		ctx := context.Background()
		admin := auth.System("cli", "132128")
		u, pw, err := as.CreateUser(ctx, admin, auth.NewUser{Email: " Staff@Hino.Example ", Role: auth.RoleStaff})
		if err != nil {
			t.Fatal(err)
		}
		if u.Email != "staff@hino.example" || !u.MustChangePassword || len(pw) < 10 {
			t.Errorf("one-time password account: %+v %q", u, pw)
		}
		tok, lu, err := as.Login(ctx, "STAFF@hino.example", pw, "192.0.2.1", "test")
		if err != nil || lu.ID != u.ID {
			t.Fatalf("login: %v", err)
		}
		su, err := as.SessionUser(ctx, tok)
		if err != nil || su.ID != u.ID || su.Role != auth.RoleStaff {
			t.Fatalf("session: %+v %v", su, err)
		}
		if _, err := as.SessionUser(ctx, tok+"x"); errs.CodeOf(err) != errs.Unauthorized {
			t.Errorf("forged session: %v", err)
		}
		a := su.Actor("192.0.2.1")
		if err := as.ChangePassword(ctx, a, "wrong", "a new password!"); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("change with a wrong current password: %v", err)
		}
		if err := as.ChangePassword(ctx, a, pw, "short"); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("change to a short password: %v", err)
		}
		if err := as.ChangePassword(ctx, a, pw, "a new password!"); err != nil {
			t.Fatal(err)
		}
		if err := as.Logout(ctx, tok); err != nil {
			t.Fatal(err)
		}
		if _, err := as.SessionUser(ctx, tok); err == nil {
			t.Error("session survives logout")
		}
		// Five failures lock the address, even for the right password.
		for i := 0; i < 5; i++ {
			if _, _, err := as.Login(ctx, "staff@hino.example", "guess", "192.0.2.2", ""); errs.CodeOf(err) != errs.Unauthorized {
				t.Fatalf("failure %d: %v", i, err)
			}
		}
		if _, _, err := as.Login(ctx, "staff@hino.example", "a new password!", "192.0.2.3", ""); errs.CodeOf(err) != errs.RateLimited {
			t.Errorf("after 5 failures: %v", err)
		}
		// Unknown addresses fail the same way as wrong passwords.
		_, _, err = as.Login(ctx, "nobody@hino.example", "x", "192.0.2.4", "")
		if errs.CodeOf(err) != errs.Unauthorized || !strings.Contains(errs.As(err).JA, "メールアドレスまたはパスワード") {
			t.Errorf("unknown user: %v", err)
		}
	})
}

func TestTokensAndTenants(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		as := setup(t, db)
		ctx := context.Background()
		hinoAdmin, _, _ := as.CreateUser(ctx, auth.System("cli", "132128"), auth.NewUser{Email: "admin@hino.example", Role: auth.RoleAdmin, Password: "long enough pw"})
		hinoStaff, _, _ := as.CreateUser(ctx, auth.System("cli", "132128"), auth.NewUser{Email: "staff@hino.example", Role: auth.RoleStaff, Password: "long enough pw"})
		hachiAdmin, _, _ := as.CreateUser(ctx, auth.System("cli", "132012"), auth.NewUser{Email: "admin@hachioji.example", Role: auth.RoleAdmin, Password: "long enough pw"})

		secret, tok, err := as.CreateToken(ctx, hinoStaff.Actor(""), hinoStaff.ID, "nightly export")
		if err != nil || !strings.HasPrefix(secret, auth.TokenPrefix) {
			t.Fatalf("token: %q %v", secret, err)
		}
		u, err := as.TokenUser(ctx, secret)
		if err != nil || u.ID != hinoStaff.ID {
			t.Fatalf("token user: %v", err)
		}
		// Staff can't make tokens for others; an admin of another
		// municipality can't even see the user.
		if _, _, err := as.CreateToken(ctx, hinoStaff.Actor(""), hinoAdmin.ID, "x"); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("staff token for admin: %v", err)
		}
		if _, _, err := as.CreateToken(ctx, hachiAdmin.Actor(""), hinoStaff.ID, "x"); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("cross-municipality token: %v", err)
		}
		if err := as.RevokeToken(ctx, hachiAdmin.Actor(""), tok.ID); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("cross-municipality revoke: %v", err)
		}
		if _, err := as.User(ctx, hachiAdmin.Actor(""), hinoStaff.ID); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("cross-municipality user read: %v", err)
		}
		list, _ := as.ListUsers(ctx, hachiAdmin.Actor(""))
		if len(list) != 1 {
			t.Errorf("八王子 admin lists %d users", len(list))
		}
		if err := as.RevokeToken(ctx, hinoAdmin.Actor(""), tok.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := as.TokenUser(ctx, secret); errs.CodeOf(err) != errs.Unauthorized {
			t.Errorf("revoked token still works: %v", err)
		}
		// Disabled users lose their sessions and tokens.
		secret2, _, _ := as.CreateToken(ctx, hinoStaff.Actor(""), hinoStaff.ID, "")
		sess, _, _ := as.Login(ctx, "staff@hino.example", "long enough pw", "", "")
		if err := as.SetDisabled(ctx, hinoAdmin.Actor(""), hinoStaff.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, err := as.TokenUser(ctx, secret2); err == nil {
			t.Error("a disabled user's token works")
		}
		if _, err := as.SessionUser(ctx, sess); err == nil {
			t.Error("a disabled user's session works")
		}
		if _, _, err := as.Login(ctx, "staff@hino.example", "long enough pw", "", ""); err == nil {
			t.Error("a disabled user can sign in")
		}
		// Bad input.
		_, _, err = as.CreateUser(ctx, hinoAdmin.Actor(""), auth.NewUser{Email: "admin@hino.example", Role: "boss"})
		if fe := errs.As(err).Fields; len(fe) == 0 {
			t.Errorf("bad role: %v", err)
		}
		_, _, err = as.CreateUser(ctx, hinoAdmin.Actor(""), auth.NewUser{Email: "admin@hino.example", Role: auth.RoleStaff})
		if errs.CodeOf(err) != errs.Invalid {
			t.Errorf("duplicate e-mail: %v", err)
		}
		_, _, err = as.CreateUser(ctx, hinoAdmin.Actor(""), auth.NewUser{Email: "m@hino.example", Role: auth.RoleMember, OrganizationID: 999})
		if errs.CodeOf(err) != errs.Invalid {
			t.Errorf("member of a missing organization: %v", err)
		}
	})
}
