// Command btcd-cycle reproduces btcd issue #2258: the server's peerHandler loop waits to hand a new
// peer to the sync manager while the sync manager's blockHandler loop waits to relay inventory
// through the server. Thousands of peer goroutines then pile up behind the two loops.
package main

import (
	"os"
	"runtime"
	"runtime/pprof"
	"time"
)

const (
	connectingPeers    = 2001 // the first is accepted; the other 2,000 wait in AddPeer
	disconnectingPeers = 3000
)

func main() {
	s := newServer()
	sm := newSyncManager(s)
	s.syncManager = sm
	go s.peerHandler()
	go sm.blockHandler()

	// A block arrives: blockHandler is now busy validating it.
	sm.QueueBlock("000000000019d6")

	// Peers finish their handshake while the block is being validated. peerHandler takes the first
	// one and blocks handing it to the busy sync manager.
	for i := 0; i < connectingPeers; i++ {
		sp := &serverPeer{id: i, server: s}
		sp.start()
	}
	// Other peers disconnect.
	for i := 0; i < disconnectingPeers; i++ {
		sp := &serverPeer{id: connectingPeers + i, server: s}
		go s.peerDoneHandler(sp)
	}

	waitParked(1 + 2 + (connectingPeers - 1) + disconnectingPeers)
	pprof.Lookup("goroutine").WriteTo(os.Stdout, 2)
}

// waitParked waits until n goroutines exist and the block validation has finished, so that every
// goroutine sits at its blocking operation when the dump is written.
func waitParked(n int) {
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() < n && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(400 * time.Millisecond)
}
