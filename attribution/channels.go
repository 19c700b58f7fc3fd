package attribution

import (
	"fmt"
	"slices"
)

// channelTable numbers channel names for the mergeable aggregates, and
// turns a path's names into numbers without allocating for known names.
type channelTable struct {
	names   []string
	ids     map[string]int32
	limit   int
	scratch []int32
}

func newChannelTable(limit int) channelTable {
	return channelTable{ids: map[string]int32{}, limit: limit}
}

// id returns the number of a channel, adding it if new.
func (t *channelTable) id(name string) (int32, error) {
	if id, ok := t.ids[name]; ok {
		return id, nil
	}
	if len(t.names) >= t.limit {
		return 0, fmt.Errorf("attribution: more than %d channels", t.limit)
	}
	id := int32(len(t.names))
	t.names = append(t.names, name)
	t.ids[name] = id
	return id, nil
}

// path numbers the channels of a path into the table's scratch slice,
// valid until the next call.
func (t *channelTable) path(names []string) ([]int32, error) {
	ids := t.scratch[:0]
	for _, name := range names {
		id, err := t.id(name)
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	t.scratch = ids
	return ids, nil
}

// pathBytes is path for names read from an interchange line; the map
// lookup with string(b) does not allocate for known names.
func (t *channelTable) pathBytes(names [][]byte) ([]int32, error) {
	ids := t.scratch[:0]
	for _, b := range names {
		id, ok := t.ids[string(b)]
		if !ok {
			var err error
			if id, err = t.id(string(b)); err != nil {
				return nil, err
			}
		}
		ids = append(ids, id)
	}
	t.scratch = ids
	return ids, nil
}

// remap numbers o's channels in t: remap[i] is the number in t of o's
// channel i.
func (t *channelTable) remap(o *channelTable) ([]int32, error) {
	out := make([]int32, len(o.names))
	for i, name := range o.names {
		id, err := t.id(name)
		if err != nil {
			return nil, err
		}
		out[i] = id
	}
	return out, nil
}

// sorted returns the channel numbers in order of name, and each channel's
// rank in that order.
func (t *channelTable) sorted() (ids, rank []int32) {
	ids = make([]int32, len(t.names))
	for i := range ids {
		ids[i] = int32(i)
	}
	slices.SortFunc(ids, func(a, b int32) int { return compareStrings(t.names[a], t.names[b]) })
	rank = make([]int32, len(t.names))
	for r, id := range ids {
		rank[id] = int32(r)
	}
	return ids, rank
}
