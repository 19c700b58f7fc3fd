package attribution

import (
	"strings"

	"github.com/shopspring/decimal"

	"github.com/revalign/revalign"
)

// valueIn returns amount, in currency, converted into rates.Base as a
// float: exactly rates.Convert(amount, currency).InexactFloat64(), with the
// same error for a currency without a rate. It allocates nothing for an
// amount already in rates.Base and, through Rates.ConvertUnits, for the
// common amounts and rates of other currencies; anything else goes through
// rates.Convert.
func valueIn(rates revalign.Rates, amount decimal.Decimal, currency string) (float64, error) {
	if strings.EqualFold(currency, rates.Base) {
		return amount.InexactFloat64(), nil // Convert returns it as is
	}
	if units, err := rates.ConvertUnits(amount, currency); err == nil {
		return float64(units) / float64(pow10[revalign.MinorUnits(rates.Base)]), nil
	}
	v, err := rates.Convert(amount, currency) // no rate, or beyond the integer range
	if err != nil {
		return 0, err
	}
	return v.InexactFloat64(), nil
}
