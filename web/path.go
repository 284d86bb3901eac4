package web

import (
	"net/http"
	"strconv"

	"github.com/loupe-review/loupe/review"
)

// pathID reads the {id} of a route; anything but a positive number is not found.
func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, review.ErrNotFound
	}
	return id, nil
}

// pathItem is the item the route's {id} names.
func (s *Server) pathItem(r *http.Request) (review.Item, error) {
	id, err := pathID(r)
	if err != nil {
		return review.Item{}, err
	}
	return s.store.FindItemByID(r.Context(), id)
}

// pathQueue is the queue the route's {id} names.
func (s *Server) pathQueue(r *http.Request) (review.Queue, error) {
	id, err := pathID(r)
	if err != nil {
		return review.Queue{}, err
	}
	return s.store.FindQueue(r.Context(), id)
}

// pathHashList is the hash list the route's {id} names.
func (s *Server) pathHashList(r *http.Request) (review.HashList, error) {
	id, err := pathID(r)
	if err != nil {
		return review.HashList{}, err
	}
	return s.store.FindHashList(r.Context(), id)
}

// pathUser is the person the route's {id} names.
func (s *Server) pathUser(r *http.Request) (review.User, error) {
	id, err := pathID(r)
	if err != nil {
		return review.User{}, err
	}
	return s.store.FindUserByID(r.Context(), id)
}
