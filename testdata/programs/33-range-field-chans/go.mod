module example.com/range-field-chans

go 1.19
