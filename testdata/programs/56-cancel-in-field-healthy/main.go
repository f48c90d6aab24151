// Command cancel-in-field-healthy is 41 without the leak: the cancel functions stored in fields are
// called later by goroutines that are still working (sleeping), so the waiters on the contexts are
// live.
package main

import (
	"context"
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

func transfer() error {
	tx := beginTx(context.Background())
	time.Sleep(time.Hour) // the statements of the transaction
	return tx.Commit()
}

func report() {
	rs := query(context.Background())
	time.Sleep(time.Hour) // reading the rows
	rs.Close()
}

func main() {
	go func() { _ = transfer() }()
	go report()

	waitParked(5)
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
