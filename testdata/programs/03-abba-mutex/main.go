// Command abba-mutex takes two mutexes in opposite orders on two goroutines (AB-BA): deposit holds
// bank.accountsMu and wants ledgerMu, audit holds ledgerMu and wants bank.accountsMu.
// It dumps itself the way an operator would: SIGQUIT with GOTRACEBACK=all, traceback on stderr.
package main

import (
	"runtime"
	"sync"
	"syscall"
	"time"
)

type Bank struct {
	accountsMu sync.Mutex
	balances   map[string]int
}

// ledgerMu guards ledger, a package variable.
var (
	ledgerMu sync.Mutex
	ledger   []string
)

// bothHoldFirstLock makes each goroutine take its first lock before either takes its second, so
// the deadlock happens on every run.
var bothHoldFirstLock sync.WaitGroup

func (b *Bank) deposit(account string, amount int) {
	b.accountsMu.Lock()
	defer b.accountsMu.Unlock()
	b.balances[account] += amount
	bothHoldFirstLock.Done()
	bothHoldFirstLock.Wait()
	ledgerMu.Lock() // want: mutex-lock main.ledgerMu
	ledger = append(ledger, account)
	ledgerMu.Unlock()
}

func audit(b *Bank) {
	ledgerMu.Lock()
	defer ledgerMu.Unlock()
	bothHoldFirstLock.Done()
	bothHoldFirstLock.Wait()
	b.accountsMu.Lock() // want: mutex-lock main.Bank.accountsMu
	_ = len(b.balances) + len(ledger)
	b.accountsMu.Unlock()
}

func main() {
	bank := &Bank{balances: map[string]int{}}
	bothHoldFirstLock.Add(2)
	go bank.deposit("alice", 10)
	go audit(bank)

	waitParked(3)
	syscall.Kill(syscall.Getpid(), syscall.SIGQUIT)
	time.Sleep(5 * time.Second) // the runtime exits with status 2 once it has printed the traceback
}

// waitParked waits until n goroutines exist and gives them time to reach their blocking operation.
func waitParked(n int) {
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() < n && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond)
}
