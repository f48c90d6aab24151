module example.com/tendermint-leaked-lock

go 1.19
