package main

import "time"

type notification struct {
	blockHash string
	txHashes  []string
}

// blockChain validates blocks and reports connected ones through a callback, on the caller's goroutine.
type blockChain struct {
	notify func(notification)
}

func newBlockChain(notify func(notification)) *blockChain {
	return &blockChain{notify: notify}
}

// ProcessBlock validates a block (this takes a while) and connects it.
func (b *blockChain) ProcessBlock(hash string) {
	time.Sleep(150 * time.Millisecond) // block validation; long enough for peerHandler to take a new peer
	b.maybeAcceptBlock(hash)
}

func (b *blockChain) maybeAcceptBlock(hash string) {
	b.connectBlock(hash)
}

func (b *blockChain) connectBlock(hash string) {
	b.sendNotification(notification{blockHash: hash, txHashes: []string{hash + "-tx0"}})
}

func (b *blockChain) sendNotification(n notification) {
	b.notify(n)
}
