package server

import (
	"context"
	"time"

	"medborgarlofte/internal/lofte"
)

// Store is what the server asks of storage: the methods its handlers call and no more, so a
// reader sees what the web layer can touch and a test double has less to fake. A
// lofte.Store has every method.
type Store interface {
	lofte.StopStore
	lofte.TallyStore
	lofte.FeedbackStore
	lofte.CommentStore
	lofte.SuspectStore
	lofte.AuditStore

	// Of lofte.PromiseStore: the active promise, its localities and baselines.
	ActivePromise(ctx context.Context) (*lofte.Promise, error)
	FindPromise(ctx context.Context, id int64) (*lofte.Promise, error)
	FindPromises(ctx context.Context) ([]*lofte.Promise, error)
	FindLocalities(ctx context.Context, promiseID int64) ([]*lofte.Locality, error)
	CreateBaselines(ctx context.Context, promiseID int64, bs []*lofte.Baseline) error
	FindBaselines(ctx context.Context, promiseID int64) ([]*lofte.Baseline, error)
	DeleteBaseline(ctx context.Context, promiseID, id int64) error
	// Promises edited in the browser: created, changed, activated, read from a file.
	CreatePromise(ctx context.Context, p *lofte.Promise, localities []*lofte.Locality) error
	UpdatePromise(ctx context.Context, id int64, upd lofte.PromiseUpdate) (*lofte.Promise, error)
	ActivatePromise(ctx context.Context, id int64) (*lofte.Promise, error)
	ImportPromise(ctx context.Context, p *lofte.Promise, localities []*lofte.Locality, stops []*lofte.Stop, baselines []*lofte.Baseline) error

	// Of lofte.ResponseStore: the kiosks' answers in, the export out.
	CreateResponses(ctx context.Context, rs []*lofte.Response, flags ...lofte.SuspectFlag) ([]lofte.IngestResult, error)
	FindResponses(ctx context.Context, f lofte.ResponseFilter) ([]*lofte.Response, string, error)

	// Of lofte.UserStore: logging in and out, and the admin's list of people.
	FindUserByName(ctx context.Context, name string) (*lofte.User, error)
	FindUserByID(ctx context.Context, id int64) (*lofte.User, error)
	FindUsers(ctx context.Context) ([]*lofte.User, error)
	CreateUser(ctx context.Context, u *lofte.User) error
	UpdateUser(ctx context.Context, id int64, upd lofte.UserUpdate) (*lofte.User, error)
	CreateSession(ctx context.Context, s *lofte.Session) error
	FindSession(ctx context.Context, hash string, now time.Time) (*lofte.Session, error)
	DeleteSession(ctx context.Context, hash string) error

	// Of lofte.TokenStore: bearer tokens and the pairing of tablets.
	CreateToken(ctx context.Context, t *lofte.Token) error
	RenameToken(ctx context.Context, id int64, name string) error
	FindTokenByHash(ctx context.Context, hash string) (*lofte.Token, error)
	FindTokens(ctx context.Context, role lofte.Role) ([]*lofte.Token, error)
	RevokeToken(ctx context.Context, id int64) (*lofte.Token, error)
	CreatePairingCode(ctx context.Context, hash, createdBy string, now, expires time.Time) error
	RedeemPairingCode(ctx context.Context, hash string, t *lofte.Token, now time.Time) error
	TouchToken(ctx context.Context, id int64, at time.Time) error

	// Ping checks that the database answers, for /healthz.
	Ping(ctx context.Context) error
}

// Every store of the app serves the server.
var _ Store = lofte.Store(nil)
