// Command cancel-in-field leaks two context watchers whose cancel functions are stored in fields:
// a transaction keeps `tx := &Tx{ctx: ctx, cancel: cancel}` and a result set assigns
// `ctx, rs.cancel = context.WithCancel(ctx)`. Both owners drop their value on an error path
// without calling the stored cancel, so nothing can end the watchers' waits.
package main

import (
	"context"
	"errors"
	"os"
	"runtime"
	"runtime/pprof"
	"time"
)

type Tx struct {
	ctx    context.Context
	cancel context.CancelFunc
	done   bool
}

func beginTx(parent context.Context) *Tx {
	ctx, cancel := context.WithCancel(parent)
	tx := &Tx{ctx: ctx, cancel: cancel}
	go tx.awaitDone()
	return tx
}

// awaitDone rolls the transaction back when its context ends.
func (tx *Tx) awaitDone() {
	<-tx.ctx.Done() // want: chan-receive main.Tx.ctx
	tx.done = true
}

// Commit ends the transaction.
func (tx *Tx) Commit() error {
	tx.cancel()
	return nil
}

type resultSet struct {
	cancel context.CancelFunc
	rows   []int
}

func query(ctx context.Context) *resultSet {
	rs := &resultSet{}
	ctx, rs.cancel = context.WithCancel(ctx)
	go rs.awaitDone(ctx)
	return rs
}

// awaitDone closes the result set when its context ends.
func (rs *resultSet) awaitDone(ctx context.Context) {
	<-ctx.Done() // want: chan-receive main.(*resultSet).awaitDone#ctx
	rs.rows = nil
}

// Close releases the result set.
func (rs *resultSet) Close() { rs.cancel() }

func exec(stmt string) error { return errors.New(stmt + ": constraint violation") }

func transfer() error {
	tx := beginTx(context.Background())
	if err := exec("UPDATE accounts"); err != nil {
		return err // neither Commit nor a rollback: tx.cancel is never called
	}
	return tx.Commit()
}

func report() error {
	rs := query(context.Background())
	if err := exec("SELECT balance"); err != nil {
		return err // rs.Close is never called
	}
	rs.Close()
	return nil
}

func main() {
	_ = transfer()
	_ = report()

	waitParked(3)
	pprof.Lookup("goroutine").WriteTo(os.Stdout, 2)
}

// waitParked waits until n goroutines exist and gives them time to reach their blocking operation.
func waitParked(n int) {
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() < n && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond)
}
