// Command acquire-held-beyond-stack deadlocks on a lock held by a goroutine with no frame in a held
// region: Begin takes db.mu and returns holding it by design (Commit unlocks it), so the writer holds
// it while it waits for the reader, and the reader waits for db.mu before it would wake the writer.
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

// migrate waits, inside its transaction, until the cache has been loaded.
func migrate(db *DB) {
	tx := db.Begin()
	<-db.loaded // want: chan-receive main.DB.loaded
	tx.Commit()
}

// loadCache reads the table, then tells migrate the cache is loaded.
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
