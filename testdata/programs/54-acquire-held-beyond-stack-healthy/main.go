// Command acquire-held-beyond-stack-healthy is 53 without the deadlock: migrate holds db.mu through
// Begin while it works (sleeping), then commits; loadCache waits for the lock meanwhile. Nothing is
// stuck: migrate is live and will reach the unlock in Commit.
package main

import (
	"os"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"
)

type DB struct {
	mu     sync.Mutex
	loaded chan struct{}
	rows   int
}

type Tx struct {
	db *DB
}

// Begin starts a transaction: the database stays locked until Commit.
func (db *DB) Begin() *Tx {
	db.mu.Lock()
	return &Tx{db: db}
}

// Commit ends the transaction and unlocks the database.
func (tx *Tx) Commit() {
	tx.db.rows++
	tx.db.mu.Unlock()
}

// migrate rewrites the table inside one transaction.
func migrate(db *DB) {
	tx := db.Begin()
	time.Sleep(time.Hour) // the rewrite
	tx.Commit()
}

// loadCache reads the table, then tells the others the cache is loaded.
func loadCache(db *DB) {
	db.mu.Lock() // want: mutex-lock main.DB.mu
	_ = db.rows
	db.mu.Unlock()
	close(db.loaded)
}

func main() {
	db := &DB{loaded: make(chan struct{})}
	go migrate(db)
	time.Sleep(50 * time.Millisecond)
	go loadCache(db)

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
