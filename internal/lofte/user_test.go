package lofte_test

import (
	"strings"
	"testing"
	"time"

	"medborgarlofte/internal/lofte"
)

func TestTokenExpiry(t *testing.T) {
	made := time.Date(2018, 3, 1, 9, 0, 0, 0, time.UTC)
	used := made.AddDate(0, 0, 10)
	day := 24 * time.Hour
	tests := []struct {
		name    string
		role    lofte.Role
		used    *time.Time
		now     time.Time
		expired bool
	}{
		{"new kiosk token", lofte.RoleKiosk, nil, made.Add(29 * day), false},
		{"never used for 30 days", lofte.RoleKiosk, nil, made.Add(30 * day), true},
		{"used 29 days ago", lofte.RoleKiosk, &used, used.Add(29 * day), false},
		{"unused for 31 days", lofte.RoleKiosk, &used, used.Add(31 * day), true},
		{"a script's token never expires", lofte.RoleAdmin, nil, made.Add(400 * day), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := &lofte.Token{Role: tt.role, CreatedAt: made, LastUsedAt: tt.used}
			if got := tok.Expired(tt.now); got != tt.expired {
				t.Errorf("Expired = %v, want %v (expires %v)", got, tt.expired, tok.ExpiresAt())
			}
		})
	}
}

func TestTokenUseAt(t *testing.T) {
	last := time.Date(2018, 3, 1, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		last   *time.Time
		now    time.Time
		want   time.Time
		record bool
	}{
		{"first use", nil, last.Add(95 * time.Minute), last.Add(time.Hour), true},
		{"again within the hour", &last, last.Add(59 * time.Minute), last, false},
		{"the next hour", &last, last.Add(61 * time.Minute), last.Add(time.Hour), true},
		{"a clock gone back", &last, last.Add(-3 * time.Hour), last.Add(-3 * time.Hour), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at, record := (&lofte.Token{LastUsedAt: tt.last}).UseAt(tt.now)
			if !at.Equal(tt.want) || record != tt.record {
				t.Errorf("UseAt = %v %v, want %v %v", at, record, tt.want, tt.record)
			}
		})
	}
}

func TestUserUpdateRules(t *testing.T) {
	admin, officer, council := lofte.RoleAdmin, lofte.RoleOfficer, lofte.RoleCouncil
	yes, no := true, false
	anna := &lofte.User{ID: 1, Name: "anna", Role: admin}
	per := &lofte.User{ID: 2, Name: "per", Role: officer}
	off := &lofte.User{ID: 3, Name: "kim", Role: admin, Disabled: true}
	tests := []struct {
		name   string
		user   *lofte.User
		upd    lofte.UserUpdate
		admins int
		// want is the refused field with its code, "" when allowed.
		want      string
		wantCode  lofte.ErrorCode
		wantEnds  bool
		wantAfter lofte.User
	}{
		{"nothing to change", anna, lofte.UserUpdate{}, 2, "", lofte.EINVALID, false, lofte.User{}},
		{"a device's role", per, lofte.UserUpdate{Role: new(lofte.RoleKiosk)}, 1, "role", lofte.EINVALID, false, lofte.User{}},
		{"an unknown role", per, lofte.UserUpdate{Role: new(lofte.Role("root"))}, 1, "role", lofte.EINVALID, false, lofte.User{}},
		{"demote the last admin", anna, lofte.UserUpdate{Role: &council}, 1, "role", lofte.ECONFLICT, false, lofte.User{}},
		{"disable the last admin", anna, lofte.UserUpdate{Disabled: &yes}, 1, "disabled", lofte.ECONFLICT, true, lofte.User{}},
		{"demote one of two admins", anna, lofte.UserUpdate{Role: &officer}, 2, "", "", false,
			lofte.User{ID: 1, Name: "anna", Role: officer}},
		{"disable one of two admins", anna, lofte.UserUpdate{Disabled: &yes}, 2, "", "", true,
			lofte.User{ID: 1, Name: "anna", Role: admin, Disabled: true}},
		{"the last admin stays admin", anna, lofte.UserUpdate{Role: &admin, Disabled: &no}, 1, "", "", false, *anna},
		{"a disabled admin is not the last", off, lofte.UserUpdate{Role: &officer}, 1, "", "", false,
			lofte.User{ID: 3, Name: "kim", Role: officer, Disabled: true}},
		{"enable makes an admin", off, lofte.UserUpdate{Disabled: &no}, 1, "", "", false,
			lofte.User{ID: 3, Name: "kim", Role: admin}},
		{"promote an officer", per, lofte.UserUpdate{Role: &admin}, 1, "", "", false, lofte.User{ID: 2, Name: "per", Role: admin}},
		{"a new password", per, lofte.UserUpdate{PasswordHash: new("h2"), MustChangePassword: true}, 1, "", "", true,
			lofte.User{ID: 2, Name: "per", Role: officer, PasswordHash: "h2", MustChangePassword: true}},
		{"an empty password", per, lofte.UserUpdate{PasswordHash: new("")}, 1, "password", lofte.EINVALID, true, lofte.User{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.upd.Validate()
			var after *lofte.User
			if err == nil {
				after = tt.upd.Apply(tt.user)
				err = lofte.CheckKeepsAdmin(tt.user, after, tt.admins)
			}
			e := lofte.AsError(err)
			switch {
			case tt.wantCode == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tt.wantCode != "" && (e == nil || e.Code != tt.wantCode || e.Field != tt.want):
				t.Fatalf("err = %v, want %s on %q", err, tt.wantCode, tt.want)
			case tt.wantCode == "" && *after != tt.wantAfter:
				t.Errorf("after = %+v, want %+v", *after, tt.wantAfter)
			}
			if got := tt.upd.EndsSessions(); got != tt.wantEnds {
				t.Errorf("EndsSessions = %v, want %v", got, tt.wantEnds)
			}
		})
	}
	if anna.Disabled || anna.Role != admin {
		t.Error("Apply changed the user it was given")
	}
}

func TestUserUpdateActor(t *testing.T) {
	yes, no := true, false
	me := &lofte.Identity{Role: lofte.RoleAdmin, Name: "anna", User: &lofte.User{ID: 1, Name: "anna"}}
	script := &lofte.Identity{Role: lofte.RoleAdmin, Name: "skript", Token: &lofte.Token{ID: 1}}
	tests := []struct {
		name   string
		actor  *lofte.Identity
		target int64
		upd    lofte.UserUpdate
		refuse bool
	}{
		{"disable myself", me, 1, lofte.UserUpdate{Disabled: &yes}, true},
		{"enable myself", me, 1, lofte.UserUpdate{Disabled: &no}, false},
		{"disable another", me, 2, lofte.UserUpdate{Disabled: &yes}, false},
		{"a token is nobody's account", script, 1, lofte.UserUpdate{Disabled: &yes}, false},
		{"reset my own password", me, 1, lofte.UserUpdate{PasswordHash: new("h")}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.upd.CheckActor(tt.actor, tt.target)
			if e := lofte.AsError(err); tt.refuse != (e != nil && e.Code == lofte.ECONFLICT && e.Field == "disabled") || (!tt.refuse && err != nil) {
				t.Errorf("err = %v, refuse %v", err, tt.refuse)
			}
		})
	}
}

func TestValidatePassword(t *testing.T) {
	tests := []struct {
		pw string
		ok bool
	}{
		{"kort", false},
		{"123456789", false},
		{"1234567890", true},
		{"åäöåäöåäöå", true}, // ten characters, twenty bytes
		{strings.Repeat("a", 72), true},
		{strings.Repeat("a", 73), false},
		{strings.Repeat("å", 37), false}, // 74 bytes: bcrypt would cut it
	}
	for _, tt := range tests {
		err := lofte.ValidatePassword(tt.pw)
		if (err == nil) != tt.ok || (err != nil && lofte.AsError(err).Field != "password") {
			t.Errorf("ValidatePassword(%q) = %v, want ok %v", tt.pw, err, tt.ok)
		}
	}
}
