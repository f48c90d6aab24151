// Package store is a small key-value store guarded by one mutex.
package store

import (
	"errors"
	"sync"
)

var ErrEmptyKey = errors.New("store: empty key")

type Store struct {
	mu      sync.Mutex
	entries map[string]string
	writes  int
}

func New() *Store {
	return &Store{entries: map[string]string{}}
}

// Put stores a value. Its validation path returns with s.mu still held.
func (s *Store) Put(key, value string) error {
	s.mu.Lock()
	s.writes++
	if key == "" {
		return ErrEmptyKey
	}
	s.entries[key] = value
	s.mu.Unlock()
	return nil
}

func (s *Store) Get(key string) (string, bool) {
	s.mu.Lock() // want: mutex-lock example.com/x/internal/store.Store.mu
	defer s.mu.Unlock()
	v, ok := s.entries[key]
	return v, ok
}
