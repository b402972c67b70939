-- Per document: how often it was retrieved, put in the model's context and cited, and what
-- the people who read answers citing it thought of them. Run by the 'create document quality
-- view' step of rag-metrics.groovy.

CREATE OR REPLACE VIEW document_quality AS
WITH retrieved AS (
    SELECT document_id,
           count(*)                                      AS retrieved,
           count(*) FILTER (WHERE status = 'in_context') AS in_context
      FROM retrievals
     GROUP BY document_id
), cited AS (
    SELECT r.document_id,
           count(DISTINCT s.query_id) AS cited_in_answers
      FROM answer_sources s
      JOIN retrievals r ON r.id = s.retrieval_id
     GROUP BY r.document_id
), judged AS (
    SELECT r.document_id,
           count(*) FILTER (WHERE f.kind = 'helpful')  AS helpful,
           count(*) FILTER (WHERE f.kind <> 'helpful') AS unhelpful
      FROM (SELECT DISTINCT s.query_id, r.document_id
              FROM answer_sources s JOIN retrievals r ON r.id = s.retrieval_id) AS r
      JOIN feedback f ON f.query_id = r.query_id
     GROUP BY r.document_id
)
SELECT retrieved.document_id,
       retrieved.retrieved,
       retrieved.in_context,
       coalesce(cited.cited_in_answers, 0) AS cited_in_answers,
       coalesce(judged.helpful, 0)         AS helpful,
       coalesce(judged.unhelpful, 0)       AS unhelpful
  FROM retrieved
  LEFT JOIN cited USING (document_id)
  LEFT JOIN judged USING (document_id);
