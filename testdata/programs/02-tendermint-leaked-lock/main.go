// Command tendermint-leaked-lock reproduces tendermint #7029: Sync returns on an error path with
// the reactor's RWMutex held, the peer-update goroutine blocks on that lock forever, and OnStop
// (run from a signal handler) waits forever for the peer-update goroutine to close its subscription.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"syscall"
	"time"
)

// trapSignal runs onStop when the process receives SIGUSR1, as tendermint's TrapSignal does for SIGTERM.
func trapSignal(onStop func()) {
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGUSR1)
	go func() {
		<-signals
		onStop()
	}()
}

func main() {
	updates := NewPeerUpdates()
	r := NewReactor(updates)
	r.OnStart()

	_ = r.Sync(context.Background()) // fails with errNoSnapshots and leaves r.mtx locked

	// The router reports a new peer: processPeerUpdates takes it and blocks on r.mtx.
	updates.updatesCh <- PeerUpdate{NodeID: "a1b2c3", Status: "up"}

	// The operator stops the node.
	trapSignal(r.OnStop)
	waitParked(3)
	syscall.Kill(os.Getpid(), syscall.SIGUSR1)
	time.Sleep(200 * time.Millisecond)

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
