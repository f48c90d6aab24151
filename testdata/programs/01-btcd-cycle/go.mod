module example.com/btcd-cycle

go 1.19
